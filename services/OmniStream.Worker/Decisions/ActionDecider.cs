using OmniStream.Channels.Topics;
using OmniStream.Channels.Tracing;
using OmniStream.Customers.Kpis;
using OmniStream.Customers.State;
using OmniStream.Decisions.Engine;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Worker.Customers;
using OmniStream.Worker.Definitions;
using OmniStream.Worker.Telemetry;

namespace OmniStream.Worker.Decisions;

/// <summary>
/// Stage <c>customers</c>' side of the decisions: runs the policies in force on a customer's change
/// or when their time comes, sends each action to <c>omni.actions.&lt;channel&gt;</c>, counts it in
/// the KPIs and the learning counts, all in the task's transaction; tells the observers, if any, of every decision.
/// </summary>
public sealed class ActionDecider(PolicyCatalog policies, DecisionEngine engine, AvroSerde<NextBestAction> actions, DecisionMetrics metrics,
    IEnumerable<IDecisionObserver> observers)
{
    private readonly IDecisionObserver[] _observers = [.. observers];

    /// <summary>Decides what the change to <paramref name="state"/> (an interaction, or only segments entered) triggers; <paramref name="key"/> is the customer's key.</summary>
    public ValueTask<bool> OnChangeAsync(CustomerTask task, byte[] key, CustomerState state, InteractionEvent? interaction, IReadOnlyCollection<string> entered,
        DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var decisions = Emptied(task);
        engine.OnChange(policies.Current, state, interaction, entered, now, task.Learning.Reader, decisions);
        return ApplyAsync(task, key, decisions, now, cancellationToken);
    }

    /// <summary>Whether deciding <paramref name="interaction"/> may trigger a moment, and so read its trace.</summary>
    public bool MayTrigger(InteractionEvent interaction) => DecisionEngine.MayTrigger(policies.Current, interaction);

    /// <summary>Decides the customer's moments due at <paramref name="now"/> and those of segments entered as time passed; true when any was decided.</summary>
    public ValueTask<bool> OnTimeAsync(CustomerTask task, byte[] key, CustomerState state, IReadOnlyCollection<string> entered, DateTime now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var decisions = Emptied(task);
        engine.OnTime(policies.Current, state, entered, now, task.Learning.Reader, decisions);
        return ApplyAsync(task, key, decisions, now, cancellationToken);
    }

    private static DecisionList Emptied(CustomerTask task)
    {
        task.Decisions.Clear();
        return task.Decisions;
    }

    // The customer's key is each action's key.
    private async ValueTask<bool> ApplyAsync(CustomerTask task, byte[] key, DecisionList made, DateTime now, CancellationToken cancellationToken)
    {
        var decisions = made.Decisions;
        for (var i = 0; i < decisions.Count; i++)
        {
            var decision = decisions[i];
            metrics.Decided(decision);
            foreach (var observer in _observers)
            {
                observer.Decided(System.Text.Encoding.UTF8.GetString(key), decision, now);
            }
            if (decision.Record is { } record)
            {
                KpiTracker.Decided(record, task.Kpis);
                if (!record.Withheld && record.Arm is { } arm)
                {
                    task.Learning.Sent(arm);
                }
            }
            if (decision.Action is { } action)
            {
                var topic = TopicCatalog.Actions(action.channel).Name;
                var value = await actions.SerializeAsync(action, topic, cancellationToken).ConfigureAwait(false);
                task.Context.Send(topic, key, value, TraceHeaders.With(action.traceParent));
                metrics.Emitted(action);
            }
        }
        return decisions.Count > 0;
    }
}
