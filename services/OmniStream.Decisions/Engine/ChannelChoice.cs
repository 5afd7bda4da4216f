using OmniStream.Customers.State;
using OmniStream.Decisions.Policies;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Engine;

/// <summary>The channel an action goes to, and why.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="ReasonCode">Why this one (e.g. <c>LAST_ACTIVE_CHANNEL</c>, <c>FALLBACK_CHANNEL</c>).</param>
/// <param name="Rule">The reason, for people.</param>
public sealed record ChannelChoice(Channel Channel, string ReasonCode, string Rule)
{
    // The choices of a channel the rule names and that may carry the action: one per source, channel and reason.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Source, Channel Channel, string Code), ChannelChoice> Direct = new();

    /// <summary>Where <paramref name="rule"/> sends an action for <paramref name="state"/>, triggered by <paramref name="trigger"/>: the channel it names if it can carry the action and has consent, else the fallback if that can; null when neither.</summary>
    public static ChannelChoice? For(ChannelRule rule, Purpose purpose, CustomerState state, PendingDecision trigger)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(trigger);
        var (channel, code) = Named(rule.Source, state, trigger);
        var carries = channel != Channel.UNKNOWN && (rule.Deliverable.Count == 0 || rule.Deliverable.Contains(channel));
        if (carries && Consent.Allows(state, purpose, channel))
        {
            return Direct.GetOrAdd((rule.Source, channel, code), static key => new ChannelChoice(key.Channel, key.Code, $"channel: {key.Source} is {key.Channel}"));
        }
        var why = carries ? $"no {purpose} consent on {channel}" : $"{rule.Source} is {channel}, which cannot carry it";
        return rule.Fallback is { } fallback && fallback != channel && Consent.Allows(state, purpose, fallback)
            ? new ChannelChoice(fallback, "FALLBACK_CHANNEL", $"channel: {why}; fallback {fallback}")
            : null;
    }

    /// <summary>The channel <paramref name="rule"/> names for <paramref name="state"/> and <paramref name="trigger"/>, consent or not.</summary>
    public static Channel Named(ChannelRule rule, CustomerState state, PendingDecision trigger)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(trigger);
        return Named(rule.Source, state, trigger).Channel;
    }

    private static (Channel Channel, string Code) Named(string source, CustomerState state, PendingDecision trigger) => source switch
    {
        "last_active" => (state.LastChannel, "LAST_ACTIVE_CHANNEL"),
        "preferred" => (state.PreferredChannel, "PREFERRED_CHANNEL"),
        "trigger" => (trigger.TriggerChannel, "TRIGGER_CHANNEL"),
        "ticket" => (Enum.TryParse<Channel>(trigger.Facts.GetValueOrDefault("ticketChannel"), out var ticket) ? ticket : trigger.TriggerChannel, "TICKET_CHANNEL"),
        var named => (Enum.Parse<Channel>(named), "POLICY_CHANNEL"),
    };
}

/// <summary>Consent per purpose and channel.</summary>
public static class Consent
{
    /// <summary>Marketing only with consent granted for marketing on the channel; other purposes unless the customer withdrew it there.</summary>
    public static bool Allows(CustomerState state, Purpose purpose, Channel channel)
    {
        ArgumentNullException.ThrowIfNull(state);
        var given = state.ConsentFor(purpose, channel);
        return purpose == Purpose.MARKETING ? given == true : given != false;
    }
}
