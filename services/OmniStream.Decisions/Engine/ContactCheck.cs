using System.Globalization;
using OmniStream.Customers.State;
using OmniStream.Decisions.Policies;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Engine;

/// <summary>The contact rules a marketing action must pass at a moment: pauses, open tickets, caps, the minimum gap.</summary>
public static class ContactCheck
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    /// <summary>Why a marketing action on <paramref name="channel"/> may not go now, as a code and a text; null when it may.</summary>
    public static (string Code, string Text)? Refusal(ContactRules rules, CustomerState state, Channel channel, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(state);
        if (state.MarketingPausedUntil > now)
        {
            return ("MARKETING_PAUSED", $"marketing paused until {state.MarketingPausedUntil:O}");
        }
        if (rules.PauseMarketingWhileTicketOpen && state.OpenTickets.FirstOrDefault() is { } ticket)
        {
            return ("OPEN_TICKET", $"support ticket {ticket.TicketId} is open");
        }
        var sent = state.Actions.Where(a => !a.Withheld && a.Purpose == Purpose.MARKETING && a.DecidedAt <= now).ToList();
        foreach (var (key, cap) in rules.CapsFor(channel))
        {
            var counted = key == ContactRules.AllChannels ? sent : sent.Where(a => a.Channel == channel).ToList();
            if (Reached(counted, now, Day, cap.PerDay) is { } day)
            {
                return ("CAP_DAY", $"cap {key}: {day} marketing actions in the last 24 h, at most {cap.PerDay}");
            }
            if (Reached(counted, now, Week, cap.PerWeek) is { } week)
            {
                return ("CAP_WEEK", $"cap {key}: {week} marketing actions in the last 7 days, at most {cap.PerWeek}");
            }
        }
        if (rules.MinGap is { } gap && sent.FirstOrDefault() is { } last && now - last.DecidedAt < gap)
        {
            return ("MIN_GAP", $"last marketing action {(now - last.DecidedAt).TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} min ago, gap {DurationText.Format(gap)}");
        }
        return null;
    }

    /// <summary>A text of the caps and gap an action passed, for its reasons.</summary>
    public static string Passed(ContactRules rules, CustomerState state, Channel channel, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(state);
        var sent = state.Actions.Count(a => !a.Withheld && a.Purpose == Purpose.MARKETING && now - a.DecidedAt < Day && a.DecidedAt <= now);
        var caps = string.Join(", ", rules.CapsFor(channel).Select(c => $"{c.Key} {c.Cap.PerDay?.ToString(CultureInfo.InvariantCulture) ?? "-"}/day {c.Cap.PerWeek?.ToString(CultureInfo.InvariantCulture) ?? "-"}/week"));
        return $"contact rules: {sent} marketing actions in the last 24 h; caps {(caps.Length == 0 ? "none" : caps)}; gap {(rules.MinGap is { } g ? DurationText.Format(g) : "none")}";
    }

    private static int? Reached(IEnumerable<ActionRecord> sent, DateTime now, TimeSpan span, int? cap)
    {
        if (cap is not { } limit)
        {
            return null;
        }
        var count = sent.Count(a => now - a.DecidedAt < span);
        return count >= limit ? count : null;
    }
}
