using OmniStream.Customers.Segments;
using OmniStream.Schemas.Contracts;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Decisions;
using OmniStream.Worker.Kpis;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Customers;

/// <summary>
/// What stage <c>customers</c> keeps for one task between its records: the customers' working states,
/// their timers, and the KPI and learning counts of the open transaction. It lives in the task's
/// memory (<see cref="ITaskContext.Local{T}"/>): a transaction that aborts drops it all, and the
/// records are read again.
/// </summary>
public sealed class CustomerTask(ITaskContext context, CacheBudget cache, TimeSpan lateness) : IDisposable
{
    /// <summary>The task.</summary>
    public ITaskContext Context => context;

    /// <summary>The customers of the task's partition.</summary>
    public CustomerStore Customers { get; } = new(context, cache);

    /// <summary>The customers' timers.</summary>
    public DueTimers Timers { get; } = new(context.Store(WorkerTopology.TimersStore));

    /// <summary>The customers erased within the lateness window.</summary>
    public ErasureMarks Erased => field ??= new(context.Store(WorkerTopology.CustomersStore), Timers, lateness);

    /// <summary>KPI counts since the last commit.</summary>
    public KpiBuffer Kpis { get; } = new();

    /// <summary>The learning counts of the task's partition.</summary>
    public LearningCounts Learning { get; } = new(context);

    /// <summary>
    /// The event the task decoded last, decoded into again: what the stage keeps of an event is copied out of it
    /// (strings, which never change, are shared), and a task handles one record at a time.
    /// </summary>
    public InteractionEvent? LastEvent { get; set; }

    /// <summary>An event read into for its trace alone (<see cref="CustomerSteps"/>): the event itself is read without it.</summary>
    public InteractionEvent? LastTrace { get; set; }

    /// <summary>The segments the record being handled made the customer enter or leave: filled again for each record.</summary>
    public List<SegmentTransition> SegmentTransitions { get; } = [];

    /// <summary>The segment change being written, written into again for each (it is encoded before the next).</summary>
    public SegmentChange SegmentChange { get; } = new() { segments = [] };

    /// <summary>The decisions of the record being handled: emptied before each decision, read before the next.</summary>
    public OmniStream.Decisions.Engine.DecisionList Decisions { get; } = new();

    /// <summary>Lets go of the states held.</summary>
    public void Dispose() => Customers.Dispose();
}
