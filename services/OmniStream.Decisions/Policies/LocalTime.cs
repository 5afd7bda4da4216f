namespace OmniStream.Decisions.Policies;

/// <summary>Local times of a customer's time zone.</summary>
public static class LocalTime
{
    /// <summary>The customer profile attribute that names their time zone (an IANA id such as <c>Europe/Paris</c>).</summary>
    public const string ProfileAttribute = "time_zone";

    /// <summary>The UTC time of <paramref name="local"/> in <paramref name="zone"/>; a time skipped by a clock change moves forward by the change.</summary>
    public static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddMinutes(30);
        }
        return TimeZoneInfo.ConvertTimeToUtc(unspecified, zone);
    }

    /// <summary>The zone named <paramref name="id"/>, or null when this machine does not know it.</summary>
    public static TimeZoneInfo? Find(string? id) =>
        id is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
}
