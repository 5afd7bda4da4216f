using System.Diagnostics.Metrics;
using OmniStream.Streaming.State;

namespace OmniStream.Worker.Telemetry;

/// <summary>The worker's identity and customer-state instruments, under the meter <see cref="MeterName"/>.</summary>
public sealed class CustomerMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "omnistream.customers";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _links;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _merges;
    private readonly Counter<long> _late;
    private readonly Counter<long> _erasures;
    private readonly Counter<long> _afterErasure;
    private readonly Counter<long> _outcomes;

    /// <summary>Creates the instruments.</summary>
    public CustomerMetrics()
    {
        _links = _meter.CreateCounter<long>("omnistream.customers.links", "{link}", "Anonymous or device ids tied to a customer");
        _conflicts = _meter.CreateCounter<long>("omnistream.customers.link_conflicts", "{link}", "Links refused: the id belongs to another customer");
        _merges = _meter.CreateCounter<long>("omnistream.customers.merges", "{merge}", "States gathered under an id merged into its customer");
        _late = _meter.CreateCounter<long>("omnistream.customers.late_events", "{event}", "Events later than the lateness bound, set aside");
        _erasures = _meter.CreateCounter<long>("omnistream.customers.erasures", "{customer}", "Customers erased on request");
        _afterErasure = _meter.CreateCounter<long>("omnistream.customers.dropped_after_erasure", "{record}",
            "Events and merged histories of an erased customer that began before the erasure and arrived after it, dropped");
        _outcomes = _meter.CreateCounter<long>("omnistream.customers.outcomes", "{outcome}", "Action outcomes read, by whether they matched an action the customer holds");
    }

    /// <summary>Counts a new link.</summary>
    public void Linked() => _links.Add(1);

    /// <summary>Counts a refused link.</summary>
    public void Conflict() => _conflicts.Add(1);

    /// <summary>Counts a merge.</summary>
    public void Merged() => _merges.Add(1);

    /// <summary>Counts an event set aside for being too late.</summary>
    public void Late() => _late.Add(1);

    /// <summary>Counts an erasure.</summary>
    public void Erased() => _erasures.Add(1);

    /// <summary>Counts an event or merged history of an erased customer dropped by <paramref name="kind"/> (<c>event</c>, <c>merge</c>).</summary>
    public void DroppedAfterErasure(string kind) => _afterErasure.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Counts an action outcome; unmatched when the customer or the action is not known (erased, pruned, never sent).</summary>
    public void Outcome(bool matched) => _outcomes.Add(1, new KeyValuePair<string, object?>("matched", matched));

    /// <summary>
    /// Reports the customers' state cache: reads that found a customer's state in memory and those that
    /// read the store (<c>omnistream.customers.state_cache.reads</c>, by <c>result</c>: hit or miss), and its budget.
    /// </summary>
    public void ObserveStateCache(CacheBudget cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _meter.CreateObservableCounter("omnistream.customers.state_cache.reads",
            () => (Measurement<long>[])[new(cache.Hits, new KeyValuePair<string, object?>("result", "hit")), new(cache.Misses, new KeyValuePair<string, object?>("result", "miss"))],
            "{read}", "Reads of a customer's state: found in memory (hit) or read from the store (miss)");
        _meter.CreateObservableGauge("omnistream.customers.state_cache.budget", () => cache.Bytes, "By", "The memory the instance gives to customers' states");
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
