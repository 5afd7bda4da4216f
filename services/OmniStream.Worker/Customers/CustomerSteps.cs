using System.Text;
using Confluent.Kafka;
using OmniStream.Customers.Kpis;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Worker.Decisions;
using OmniStream.Worker.Kpis;
using OmniStream.Worker.Telemetry;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Customers;

/// <summary>
/// What stage <c>customers</c> does with each kind of record, on the customer's working state: load
/// it, fold (an event, an outcome, a merged state), evaluate the segments, decide, arm the customer's
/// timer, count the KPIs; and at commit, write what changed. Every output goes into the task's
/// transaction.
/// </summary>
public sealed class CustomerSteps(
    AvroSerde<InteractionEvent> interactions,
    AvroSerde<ActionOutcome> outcomes,
    CustomerFold fold,
    KpiTracker kpis,
    KpiRecorder kpiRecorder,
    SegmentWriter segments,
    ActionDecider decider,
    ProfileWriter profiles,
    CustomerErasure erasure,
    TimeProvider time,
    CustomerMetrics metrics,
    string customersInput)
{
    private readonly CustomerMerge _merge = new(fold);

    // What the stage never reads of an event: its subject (identity resolved it to the record's key upstream) and session; and
    // its trace, read apart for an event that may trigger a moment (a string per event, most of which decide nothing).
    private const ulong Unread = InteractionEvent.AvroFields.subject | InteractionEvent.AvroFields.sessionId | InteractionEvent.AvroFields.traceParent;

    /// <summary>The bounds of the fold.</summary>
    public FoldOptions Options => fold.Options;

    /// <summary>Folds an interaction event (or erases, on an erasure request); a refused link is recorded as such.</summary>
    /// <exception cref="LateEventException">The event is older than the lateness bound allows.</exception>
    public async ValueTask EventAsync(CustomerTask task, byte[] key, byte[] value, string? refusedOwner, CancellationToken cancellationToken)
    {
        var interaction = task.LastEvent = await interactions.DeserializeIntoAsync(value, task.LastEvent, Unread, cancellationToken).ConfigureAwait(false);
        if (interaction.payload is ErasureRequested)
        {
            await erasure.EraseAsync(task, key, value, interaction, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (task.Erased.Covers(key, interaction.occurredAt))
        {
            erasure.DropLate(task, key, interaction, value);
            return;
        }
        var state = task.Customers.Load(key) ?? task.Customers.Create(key);
        var step = fold.Apply(state, interaction);
        switch (step.Verdict)
        {
            case FoldVerdict.Duplicate:
                return;
            case FoldVerdict.TooLate:
                metrics.Late();
                throw new LateEventException(interaction.eventId, interaction.occurredAt, state.LastEventAt, fold.Options.Lateness);
        }
        if (refusedOwner is not null && interaction.payload is Identified refused)
        {
            state.LinkedIds.Remove(refused.anonymousId);
            state.RefusedLinks.Add(new RefusedLink(refused.anonymousId, refusedOwner, interaction.eventId, interaction.occurredAt));
        }
        task.Customers.Changed(key, state);
        if (decider.MayTrigger(interaction))
        {
            var traced = task.LastTrace = await interactions.DeserializeIntoAsync(value, task.LastTrace, ~InteractionEvent.AvroFields.traceParent, cancellationToken)
                .ConfigureAwait(false);
            interaction.traceParent = traced.traceParent;
        }
        await DecideAsync(task, key, state, interaction, cancellationToken).ConfigureAwait(false);
        kpis.Track(state, step, interaction, task.Kpis);
        if (step.Converted is { } converted)
        {
            Learned(task, converted);
        }
    }

    /// <summary>Records an outcome a channel reported; an outcome changes nothing for a customer or action no longer held (erased, pruned): it is counted, not refused.</summary>
    public async ValueTask OutcomeAsync(CustomerTask task, byte[] key, byte[] value, CancellationToken cancellationToken)
    {
        var outcome = await outcomes.DeserializeAsync(value, cancellationToken).ConfigureAwait(false);
        var state = task.Customers.Load(key);
        var (matched, changed, converted) = state is null ? default : CustomerFold.WithOutcome(state, outcome);
        metrics.Outcome(matched);
        if (state is null || !changed)
        {
            return;
        }
        task.Customers.Changed(key, state);
        await DecideAsync(task, key, state, null, cancellationToken).ConfigureAwait(false);
        if (converted is not null)
        {
            KpiTracker.Converted(converted, task.Kpis);
            Learned(task, converted);
        }
    }

    /// <summary>
    /// The id <paramref name="key"/> was just tied to <paramref name="customer"/>: its state leaves this key
    /// and goes, through the stage's own input, to the customer's task, which merges it.
    /// </summary>
    public void HandOver(CustomerTask task, byte[] key, string customer)
    {
        if (task.Customers.LoadWhole(key) is not { } gathered)
        {
            return;
        }
        Remove(task, key, gathered, Now);
        task.Context.Send(customersInput, new Message<byte[], byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(customer),
            Value = CustomerLayout.EncodeHandOver(gathered),
            Headers = StageHeaders.With(null, StageHeaders.AbsorbFrom, gathered.CustomerId),
        });
    }

    /// <summary>Merges the state gathered under an id just tied to the customer <paramref name="key"/>; a copy already merged changes nothing.</summary>
    public async ValueTask AbsorbAsync(CustomerTask task, byte[] key, byte[] value, byte[]? legacyJourneys, CancellationToken cancellationToken)
    {
        var gathered = CustomerLayout.DecodeHandOver(value);
        if (task.Erased.Covers(key, gathered.Timeline.Entries.Select(e => e.At).DefaultIfEmpty(gathered.LastEventAt).Min()))
        {
            // A history that began before the customer's erasure is theirs: it goes too.
            metrics.DroppedAfterErasure("merge");
            return;
        }
        var into = task.Customers.Load(key) ?? task.Customers.Create(key);
        if (!_merge.Merge(into, gathered))
        {
            return;
        }
        task.Customers.Changed(key, into);
        await DecideAsync(task, key, into, null, cancellationToken).ConfigureAwait(false);
        var journeys = gathered.Journeys.Count > 0 || legacyJourneys is null
            ? (IEnumerable<KeyValuePair<string, Journey>>)gathered.Journeys
            : KpiCodec.DecodeMarks(legacyJourneys).Journeys;
        kpis.Absorb(into, journeys, gathered, task.Kpis);
        metrics.Merged();
    }

    /// <summary>
    /// The customer's timer fired at <paramref name="now"/>: the segments as of now, the moments due and those of segments entered are
    /// decided, and the timer armed again; or an erasure mark's timer, and the mark goes if its time has come.
    /// </summary>
    public async ValueTask TimerAsync(CustomerTask task, byte[] key, DateTime now, CancellationToken cancellationToken)
    {
        if (ErasureMarks.IsMark(key))
        {
            task.Erased.Expire(key, now);
            return;
        }
        if (task.Customers.Load(key) is not { } state)
        {
            return;
        }
        var wallClock = Now;
        var entered = await segments.UpdateAsync(task, key, state, wallClock, cancellationToken).ConfigureAwait(false);
        var decided = await decider.OnTimeAsync(task, key, state, entered.Entered, now, cancellationToken).ConfigureAwait(false);
        if (entered.Changed || decided)
        {
            task.Customers.Changed(key, state);
        }
        Arm(task, key, state, wallClock);
    }

    /// <summary>
    /// At commit: the timers' net changes stored (and kept in their customers' states), the profiles of
    /// the customers whose visible profile changed published, the states written, the learning counts
    /// and the KPI counts of the transaction sent.
    /// </summary>
    public void Commit(CustomerTask task)
    {
        foreach (var (key, due) in task.Timers.Flush())
        {
            if (!ErasureMarks.IsMark(key))
            {
                task.Customers.TimerStored(key, due);
            }
        }
        foreach (var (key, state) in task.Customers.Unwritten)
        {
            if (state.ProfileChanged)
            {
                profiles.Send(task.Context, key, state);
                state.ProfileChanged = false;
            }
        }
        task.Customers.WriteChanged();
        task.Learning.Write();
        kpiRecorder.Flush(task.Context, task.Kpis);
    }

    /// <summary>Counts the segments' members stored before members were counted, once per partition (<see cref="SegmentCensus"/>), and sends them at once.</summary>
    public void CountStoredMembers(CustomerTask task)
    {
        if (SegmentCensus.CountOnce(task.Context.Store(WorkerTopology.CustomersStore), task.Kpis) > 0)
        {
            kpiRecorder.Flush(task.Context, task.Kpis);
        }
    }

    /// <summary>Removes the customer <paramref name="key"/> at <paramref name="now"/>: state, timer, profile (tombstones in the changelogs and the profiles topic); they leave their segments.</summary>
    public static void Remove(CustomerTask task, byte[] key, CustomerState? state, DateTime now)
    {
        if (state is not null)
        {
            KpiTracker.Gone(state, now, task.Kpis);
        }
        task.Customers.Delete(key);
        task.Timers.Set(key, state?.ArmedDue, null);
        ProfileWriter.Remove(task.Context, key);
    }

    // After a change: segments re-evaluated, the moments it triggers decided, the timer armed.
    private async ValueTask DecideAsync(CustomerTask task, byte[] key, CustomerState state, InteractionEvent? interaction, CancellationToken cancellationToken)
    {
        var now = Now;
        var entered = await segments.UpdateAsync(task, key, state, now, cancellationToken).ConfigureAwait(false);
        await decider.OnChangeAsync(task, key, state, interaction, entered.Entered, now, cancellationToken).ConfigureAwait(false);
        Arm(task, key, state, now);
    }

    // The timer goes to the customer's next waiting moment or the next time their segments may change by time alone, whichever comes first.
    private void Arm(CustomerTask task, byte[] key, CustomerState state, DateTime now) =>
        task.Timers.Set(key, state.ArmedDue, Earliest(state.NextDue, segments.NextChange(state, now)));

    private static void Learned(CustomerTask task, ActionRecord converted)
    {
        if (converted is { Withheld: false, Arm: { } arm })
        {
            task.Learning.Converted(arm);
        }
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static DateTime? Earliest(DateTime? first, DateTime? second) =>
        first is { } a && second is { } b ? (a < b ? a : b) : first ?? second;
}
