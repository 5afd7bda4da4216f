using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Policies;

/// <summary>
/// Rules every action obeys, whatever the policy. Consent: marketing needs consent granted for
/// marketing on the channel; other purposes go unless the customer withdrew consent for them there.
/// Caps and the minimum gap count marketing actions sent (rolling day and week). Quiet hours hold
/// back every action that contacts the customer until they end, in the customer's time zone.
/// </summary>
/// <param name="Caps">Marketing actions per channel (key: channel name, or <c>all</c>).</param>
/// <param name="MinGap">The least time between two marketing actions, on any channel.</param>
/// <param name="QuietHours">When the customer is not contacted, or null.</param>
/// <param name="DefaultTimeZone">The time zone of customers whose profile has no <c>time_zone</c>; null: quiet hours hold only customers whose time zone is known.</param>
/// <param name="PauseMarketingWhileTicketOpen">No marketing while a support ticket is open.</param>
/// <param name="NotAgainAfterConversion">An action that converted is not chosen again for the customer within this time.</param>
public sealed record ContactRules(
    IReadOnlyDictionary<string, Cap> Caps, TimeSpan? MinGap, QuietHours? QuietHours, TimeZoneInfo? DefaultTimeZone,
    bool PauseMarketingWhileTicketOpen, TimeSpan? NotAgainAfterConversion)
{
    /// <summary>The caps key that counts every channel.</summary>
    public const string AllChannels = "all";

    /// <summary>No rule but consent.</summary>
    public static ContactRules None { get; } = new(new Dictionary<string, Cap>(), null, null, null, false, null);

    /// <summary>The caps that apply to <paramref name="channel"/>, with their key.</summary>
    public IEnumerable<(string Key, Cap Cap)> CapsFor(Channel channel) =>
        Caps.Where(c => c.Key == AllChannels || c.Key == channel.ToString()).Select(c => (c.Key, c.Value));
}

/// <summary>At most this many marketing actions per rolling day and per rolling week.</summary>
/// <param name="PerDay">Per 24 hours, or null.</param>
/// <param name="PerWeek">Per 7 days, or null.</param>
public sealed record Cap(int? PerDay, int? PerWeek);

/// <summary>A daily span of local time, possibly over midnight (21:00–08:00).</summary>
/// <param name="From">When it begins.</param>
/// <param name="To">When it ends.</param>
public sealed record QuietHours(TimeOnly From, TimeOnly To)
{
    /// <summary>When the quiet hours around <paramref name="utc"/> end (UTC), or null when <paramref name="utc"/> is not in them.</summary>
    public DateTime? EndAfter(DateTime utc, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
        var time = TimeOnly.FromDateTime(local);
        var overMidnight = From > To;
        var inside = overMidnight ? time >= From || time < To : time >= From && time < To;
        if (!inside)
        {
            return null;
        }
        var endDay = overMidnight && time >= From ? local.Date.AddDays(1) : local.Date;
        return LocalTime.ToUtc(endDay + To.ToTimeSpan(), zone);
    }

    /// <inheritdoc />
    public override string ToString() => $"{From:HH\\:mm}-{To:HH\\:mm}";
}
