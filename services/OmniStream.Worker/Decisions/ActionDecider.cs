using System.Text;
using OmniStream.Channels.Topics;
using OmniStream.Channels.Tracing;
using OmniStream.Customers.Kpis;
using OmniStream.Customers.State;
using OmniStream.Decisions.Engine;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Definitions;
using OmniStream.Worker.Kpis;
using OmniStream.Worker.Telemetry;

namespace OmniStream.Worker.Decisions;

/// <summary>
/// Stage <c>customers</c>' side of the decisions: runs the policies in force on a customer's change
/// or when their time comes, sends each action to <c>omni.actions.&lt;channel&gt;</c>, counts it in
/// the KPIs and the learning counts, all in the task's transaction.
/// </summary>
public sealed class ActionDecider(PolicyCatalog policies, DecisionEngine engine, AvroSerde<NextBestAction> actions, DecisionMetrics metrics)
{
    /// <summary>Decides what the change to <paramref name="state"/> (an interaction, or only segments entered) triggers.</summary>
    public ValueTask<CustomerState> OnChangeAsync(ITaskContext task, CustomerState state, InteractionEvent? interaction, IReadOnlyCollection<string> entered,
        DateTime now, CancellationToken cancellationToken) =>
        ApplyAsync(task, engine.OnChange(policies.Current, state, interaction, entered, now, ArmStatsStore.Reader(task)), cancellationToken);

    /// <summary>Decides the customer's moments due at <paramref name="now"/> and those of segments entered as time passed.</summary>
    public ValueTask<CustomerState> OnTimeAsync(ITaskContext task, CustomerState state, IReadOnlyCollection<string> entered, DateTime now,
        CancellationToken cancellationToken) =>
        ApplyAsync(task, engine.OnTime(policies.Current, state, entered, now, ArmStatsStore.Reader(task)), cancellationToken);

    private async ValueTask<CustomerState> ApplyAsync(ITaskContext task, DecisionResult result, CancellationToken cancellationToken)
    {
        foreach (var decision in result.Decisions)
        {
            metrics.Decided(decision);
            if (decision.Record is { } record)
            {
                KpiRecorder.Gather(task, KpiTracker.Decided(record));
                if (!record.Withheld && record.Arm is { } arm)
                {
                    ArmStatsStore.Sent(task, arm);
                }
            }
            if (decision.Action is { } action)
            {
                var topic = TopicCatalog.Actions(action.channel).Name;
                var value = await actions.SerializeAsync(action, topic, cancellationToken).ConfigureAwait(false);
                task.Send(topic, Encoding.UTF8.GetBytes(action.customerId), value, TraceHeaders.With(action.traceParent));
                metrics.Emitted(action);
            }
        }
        return result.State;
    }
}
