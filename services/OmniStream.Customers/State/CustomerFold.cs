using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>
/// Folds interaction events into a customer's working state, in place. An event is folded once (its
/// timeline line is kept within the lateness bound, and its id tells a copy apart), an event later
/// than that bound is refused, and every part of the state is keyed or latest-wins, so any arrival
/// order within the bound gives the same state as the ordered sequence.
/// </summary>
public sealed class CustomerFold(FoldOptions options)
{
    /// <summary>How many moments that sent nothing a state keeps.</summary>
    public const int SilentDecisionsKept = 10;

    /// <summary>The bounds this fold applies.</summary>
    public FoldOptions Options => options;

    /// <summary>Folds <paramref name="interaction"/> into <paramref name="state"/>.</summary>
    public FoldStep Apply(CustomerState state, InteractionEvent interaction)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(interaction);
        var lateCutoff = Before(state.LastEventAt, options.Lateness);
        if (state.Timeline.Holds(interaction.eventId, lateCutoff) || state.EarlierEventIds.ContainsKey(interaction.eventId))
        {
            return FoldStep.Dropped(FoldVerdict.Duplicate);
        }
        var at = interaction.occurredAt;
        if (at < lateCutoff)
        {
            return FoldStep.Dropped(FoldVerdict.TooLate);
        }
        var channel = interaction.channel;
        var activity = state.Channels.Find(channel);
        var previousEventAt = state.LastEventAt;
        var (lastChannel, preferredChannel) = (state.LastChannel, state.PreferredChannel);
        if (at > state.LastEventAt)
        {
            state.LastEventAt = at;
        }
        var lastSeenAt = activity?.LastSeenAt;
        if (activity is null)
        {
            state.Channels.Set(channel, new ChannelActivity(at, at, 1));
        }
        else
        {
            activity.Seen(at);
            state.Channels.Changed();
        }
        state.Timeline.Add(at, interaction.eventId, Timeline.Encode(interaction));
        var converted = PayloadFold.Apply(state, interaction, options);
        Prune(state);
        if (state.LastChannel != lastChannel || state.PreferredChannel != preferredChannel)
        {
            state.ProfileChanged = true;
        }
        return new FoldStep(FoldVerdict.Applied, previousEventAt, lastSeenAt, converted);
    }

    /// <summary>Folds every event in turn (duplicates and events too late are skipped, as <see cref="Apply"/> does).</summary>
    public CustomerState ApplyAll(CustomerState state, IEnumerable<InteractionEvent> interactions)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        foreach (var interaction in interactions)
        {
            Apply(state, interaction);
        }
        return state;
    }

    /// <summary>Records an action decided for the customer (sent, or withheld for an experiment's control group).</summary>
    public void WithAction(CustomerState state, ActionRecord action)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Actions.Add(action, options.Actions);
    }

    /// <summary>Records a moment that sent the customer nothing, with its reasons (the latest <see cref="SilentDecisionsKept"/> are kept).</summary>
    public static void WithSilence(CustomerState state, SilentDecision decision)
    {
        ArgumentNullException.ThrowIfNull(state);
        Stamped.InsertNewest(state.Silent, decision, SilentDecisionsKept, out _);
        state.MarkChanged(StateSections.Decisions);
    }

    /// <summary>
    /// Records the outcome of an action sent to the customer: the latest outcome wins, and the first
    /// conversion is kept. An outcome of an action the state does not hold (unknown, or pruned) changes
    /// nothing. Returns whether the state holds the action, whether the outcome changed it, and the
    /// action if this outcome converted it.
    /// </summary>
    public static (bool Matched, bool Changed, ActionRecord? Converted) WithOutcome(CustomerState state, ActionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(outcome);
        var index = state.Actions.IndexOf(outcome.actionId);
        if (index < 0)
        {
            return (false, false, null);
        }
        var known = state.Actions[index];
        var updated = known.OutcomeAt > outcome.occurredAt ? known : known with { Outcome = outcome.outcome, OutcomeAt = outcome.occurredAt };
        if (outcome.outcome == Outcome.CONVERTED && !(known.ConvertedAt <= outcome.occurredAt))
        {
            updated = updated with { ConvertedAt = outcome.occurredAt };
        }
        if (updated == known)
        {
            return (true, false, null);
        }
        state.Actions.Replace(index, updated);
        return (true, true, known.ConvertedAt is null && updated.ConvertedAt is not null ? updated : null);
    }

    /// <summary>Removes what fell out of the bounds, measured from the state's newest event.</summary>
    public void Prune(CustomerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var now = state.LastEventAt;
        var lateCutoff = Before(now, options.Lateness);
        var retentionCutoff = Before(now, options.Retention);
        var windowCutoff = Before(now, options.OrderWindow);
        for (var i = state.EarlierEventIds.Count - 1; i >= 0; i--)
        {
            if (state.EarlierEventIds.Values[i] < lateCutoff)
            {
                state.EarlierEventIds.RemoveAt(i);
            }
        }
        for (var i = state.Orders.Count - 1; i >= 0; i--)
        {
            var order = state.Orders.Values[i];
            if (order.PlacedAt <= windowCutoff)
            {
                state.OlderOrders = state.OlderOrders.Plus(order);
                state.Orders.RemoveAt(i);
                state.ProfileChanged = true;
                state.MarkChanged(StateSections.Commerce);
            }
        }
        if (state.LatestCart is { } cart && cart.UpdatedAt <= windowCutoff)
        {
            state.LatestCart = null;
            state.ProfileChanged = true;
            state.MarkChanged(StateSections.Commerce);
        }
        Forget(state, retentionCutoff);
        state.Timeline.Trim(lateCutoff, retentionCutoff, options.TimelineLength);
        if (TrimOlder(state.ProductViews, retentionCutoff))
        {
            state.MarkChanged(StateSections.Views);
        }
        RemoveBefore(state.RefusedLinks, retentionCutoff, static l => l.At);
        for (var i = state.Pending.Count - 1; i >= 0; i--)
        {
            var pending = state.Pending.Values[i];
            if (!pending.IsWaiting && pending.TriggeredAt < lateCutoff)
            {
                state.Pending.RemoveAt(i);
                state.MarkChanged(StateSections.Decisions);
            }
        }
    }

    // Each ticket forgets what is older than the retention, field by field: dropping whole tickets would let a
    // later event about the same ticket rebuild a different record depending on arrival order.
    private static void Forget(CustomerState state, DateTime cutoff)
    {
        for (var i = state.Tickets.Count - 1; i >= 0; i--)
        {
            var ticket = state.Tickets.Values[i];
            if (!(ticket.OpenedAt < cutoff) && !(ticket.ResolvedAt < cutoff))
            {
                continue;
            }
            var kept = ticket.Forget(cutoff);
            if (kept is null)
            {
                state.Tickets.RemoveAt(i);
            }
            else
            {
                state.Tickets[ticket.TicketId] = kept;
            }
            state.ProfileChanged = true;
            state.MarkChanged(StateSections.Service);
        }
    }

    // The items of a list held newest first (Stamped.InsertNewest) from before a time: the last ones, the others not even read.
    private static bool TrimOlder<T>(List<T> newestFirst, DateTime cutoff) where T : IStamped
    {
        var kept = newestFirst.Count;
        while (kept > 0 && newestFirst[kept - 1].At < cutoff)
        {
            kept--;
        }
        var removed = newestFirst.Count - kept;
        newestFirst.RemoveRange(kept, removed);
        return removed > 0;
    }

    // The items of a list from before a time, removed in order without a closure (this runs on every event); true when any was.
    private static bool RemoveBefore<T>(List<T> items, DateTime cutoff, Func<T, DateTime> at)
    {
        var kept = 0;
        for (var i = 0; i < items.Count; i++)
        {
            if (at(items[i]) >= cutoff)
            {
                items[kept++] = items[i];
            }
        }
        var removed = items.Count - kept;
        items.RemoveRange(kept, removed);
        return removed > 0;
    }

    // The empty state's clock is DateTime.MinValue: nothing is before it.
    internal static DateTime Before(DateTime time, TimeSpan span) => time - DateTime.MinValue < span ? DateTime.MinValue : time - span;


}
