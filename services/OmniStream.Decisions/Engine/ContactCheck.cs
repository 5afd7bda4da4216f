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
    public static (string Code, string Text)? Refusal(ContactRules rules, CustomerState state, Channel channel, DateTime now) =>
        Check(rules, state, channel, now, null);

    /// <summary>Every contact rule that stops a marketing action on <paramref name="channel"/> now (the first is <see cref="Refusal"/>'s); empty when none.</summary>
    public static IReadOnlyList<(string Code, string Text)> Refusals(ContactRules rules, CustomerState state, Channel channel, DateTime now)
    {
        var all = new List<(string Code, string Text)>();
        Check(rules, state, channel, now, all);
        return all;
    }

    // Stops at the first refusal when all is null; else adds every one to it.
    private static (string Code, string Text)? Check(ContactRules rules, CustomerState state, Channel channel, DateTime now, List<(string Code, string Text)>? all)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(state);
        (string Code, string Text)? first = null;
        if (state.MarketingPausedUntil > now && Stop(all, ref first, ("MARKETING_PAUSED", $"marketing paused until {state.MarketingPausedUntil:O}")))
        {
            return first;
        }
        if (rules.PauseMarketingWhileTicketOpen && state.FirstOpenTicket is { } ticket && Stop(all, ref first, ("OPEN_TICKET", $"support ticket {ticket.TicketId} is open")))
        {
            return first;
        }
        foreach (var (key, cap) in rules.CapsFor(channel))
        {
            var onChannel = key == ContactRules.AllChannels ? (Channel?)null : channel;
            if (Reached(state, onChannel, now, Day, cap.PerDay) is { } day
                && Stop(all, ref first, ("CAP_DAY", $"cap {key}: {day} marketing actions in the last 24 h, at most {cap.PerDay}")))
            {
                return first;
            }
            if (Reached(state, onChannel, now, Week, cap.PerWeek) is { } week
                && Stop(all, ref first, ("CAP_WEEK", $"cap {key}: {week} marketing actions in the last 7 days, at most {cap.PerWeek}")))
            {
                return first;
            }
        }
        if (rules.MinGap is { } gap && LastSent(state, now) is { } last && now - last.DecidedAt < gap)
        {
            Stop(all, ref first, ("MIN_GAP", $"last marketing action {(now - last.DecidedAt).TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} min ago, gap {DurationText.Format(gap)}"));
        }
        return first;
    }

    // Notes a refusal; true when checking stops at the first.
    private static bool Stop(List<(string Code, string Text)>? all, ref (string Code, string Text)? first, (string Code, string Text) refusal)
    {
        first ??= refusal;
        all?.Add(refusal);
        return all is null;
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

    // Marketing actions sent (not withheld) by now count; on one channel, or on all when none is given.
    private static bool Counts(ActionRecord action, Channel? channel, DateTime now) =>
        !action.Withheld && action.Purpose == Purpose.MARKETING && action.DecidedAt <= now && (channel is null || action.Channel == channel);

    private static int? Reached(CustomerState state, Channel? channel, DateTime now, TimeSpan span, int? cap)
    {
        if (cap is not { } limit)
        {
            return null;
        }
        var count = 0;
        foreach (var action in state.Actions)
        {
            count += Counts(action, channel, now) && now - action.DecidedAt < span ? 1 : 0;
        }
        return count >= limit ? count : null;
    }

    private static ActionRecord? LastSent(CustomerState state, DateTime now)
    {
        foreach (var action in state.Actions)
        {
            if (Counts(action, null, now))
            {
                return action;
            }
        }
        return null;
    }
}
