using System.Collections.Immutable;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>
/// Folds interaction events into a customer's state. An event is folded once (its id is
/// remembered within the lateness bound), an event later than that bound is refused, and every
/// part of the state is keyed or latest-wins, so any arrival order within the bound gives the
/// same state as the ordered sequence.
/// </summary>
public sealed class CustomerFold(FoldOptions options)
{
    /// <summary>The bounds this fold applies.</summary>
    public FoldOptions Options => options;

    /// <summary>Folds <paramref name="interaction"/> into <paramref name="state"/>.</summary>
    public (CustomerState State, FoldVerdict Verdict) Apply(CustomerState state, InteractionEvent interaction)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(interaction);
        var eventKey = interaction.eventId;
        if (state.RecentEventIds.ContainsKey(eventKey))
        {
            return (state, FoldVerdict.Duplicate);
        }
        if (interaction.occurredAt < Before(state.LastEventAt, options.Lateness))
        {
            return (state, FoldVerdict.TooLate);
        }
        var at = interaction.occurredAt;
        var next = state with
        {
            LastEventAt = at > state.LastEventAt ? at : state.LastEventAt,
            RecentEventIds = state.RecentEventIds.SetItem(eventKey, at),
            Channels = state.Channels.SetItem(interaction.channel, Seen(state.Channels.GetValueOrDefault(interaction.channel), at)),
            Interactions = Stamped.Newest(state.Interactions, [Timeline.Record(interaction)], options.TimelineLength),
        };
        return (Prune(PayloadFold.Apply(next, interaction, options)), FoldVerdict.Applied);
    }

    /// <summary>Folds every event in turn (duplicates and events too late are skipped, as <see cref="Apply"/> does).</summary>
    public CustomerState ApplyAll(CustomerState state, IEnumerable<InteractionEvent> interactions) =>
        interactions.Aggregate(state, (current, e) => Apply(current, e).State);

    /// <summary>Records an action decided for the customer (sent, or withheld for an experiment's control group).</summary>
    public CustomerState WithAction(CustomerState state, ActionRecord action)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(action);
        return state with { Actions = Stamped.Newest(state.Actions, [action], options.Actions) };
    }

    /// <summary>How many moments that sent nothing a state keeps.</summary>
    public const int SilentDecisionsKept = 10;

    /// <summary>Records a moment that sent the customer nothing, with its reasons (the latest <see cref="SilentDecisionsKept"/> are kept).</summary>
    public static CustomerState WithSilence(CustomerState state, SilentDecision decision)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(decision);
        return state with { Silent = Stamped.Newest(state.Silent, [decision], SilentDecisionsKept) };
    }

    /// <summary>
    /// Records the outcome of an action sent to the customer: the latest outcome wins, and the first
    /// conversion is kept. An outcome of an action the state does not hold (unknown, or pruned) changes nothing.
    /// </summary>
    public static CustomerState WithOutcome(CustomerState state, ActionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(outcome);
        var index = state.Actions.FindIndex(a => a.ActionId == outcome.actionId);
        if (index < 0)
        {
            return state;
        }
        var known = state.Actions[index];
        var updated = known.OutcomeAt > outcome.occurredAt ? known : known with { Outcome = outcome.outcome, OutcomeAt = outcome.occurredAt };
        if (outcome.outcome == Outcome.CONVERTED && !(known.ConvertedAt <= outcome.occurredAt))
        {
            updated = updated with { ConvertedAt = outcome.occurredAt };
        }
        return updated == known ? state : state with { Actions = state.Actions.SetItem(index, updated) };
    }

    /// <summary>Removes what fell out of the bounds, measured from the state's newest event.</summary>
    public CustomerState Prune(CustomerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var now = state.LastEventAt;
        var lateCutoff = Before(now, options.Lateness);
        var retentionCutoff = Before(now, options.Retention);
        var windowCutoff = Before(now, options.OrderWindow);
        var leaving = state.Orders.Values.Where(o => o.PlacedAt <= windowCutoff).ToList();
        return state with
        {
            RecentEventIds = state.RecentEventIds.RemoveRange(state.RecentEventIds.Where(e => e.Value < lateCutoff).Select(e => e.Key)),
            Orders = state.Orders.RemoveRange(leaving.Select(o => o.OrderId)),
            OlderOrders = leaving.Aggregate(state.OlderOrders, (totals, o) => totals.Plus(o)),
            LatestCart = state.LatestCart is { } cart && cart.UpdatedAt <= windowCutoff ? null : state.LatestCart,
            Tickets = Forget(state.Tickets, retentionCutoff),
            Interactions = state.Interactions.RemoveAll(i => i.At < retentionCutoff),
            ProductViews = state.ProductViews.RemoveAll(v => v.ViewedAt < retentionCutoff),
            RefusedLinks = state.RefusedLinks.RemoveAll(l => l.At < retentionCutoff),
            Pending = state.Pending.RemoveRange(state.Pending.Values.Where(p => !p.IsWaiting && p.TriggeredAt < lateCutoff).Select(p => p.Key)),
        };
    }

    // Each ticket forgets what is older than the retention, field by field: dropping whole tickets would let a
    // later event about the same ticket rebuild a different record depending on arrival order.
    private static ImmutableSortedDictionary<string, TicketRecord> Forget(ImmutableSortedDictionary<string, TicketRecord> tickets, DateTime cutoff)
    {
        var result = tickets;
        foreach (var ticket in tickets.Values)
        {
            var kept = ticket.Forget(cutoff);
            result = kept is null ? result.Remove(ticket.TicketId) : kept == ticket ? result : result.SetItem(ticket.TicketId, kept);
        }
        return result;
    }

    // The empty state's clock is DateTime.MinValue: nothing is before it.
    private static DateTime Before(DateTime time, TimeSpan span) => time - DateTime.MinValue < span ? DateTime.MinValue : time - span;

    private static ChannelActivity Seen(ChannelActivity? activity, DateTime at) => activity is null
        ? new ChannelActivity(at, at, 1)
        : new ChannelActivity(at < activity.FirstSeenAt ? at : activity.FirstSeenAt, at > activity.LastSeenAt ? at : activity.LastSeenAt, activity.Interactions + 1);
}
