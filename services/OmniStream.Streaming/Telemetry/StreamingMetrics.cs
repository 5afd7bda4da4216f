using System.Diagnostics.Metrics;

namespace OmniStream.Streaming.Telemetry;

/// <summary>The runtime's instruments, under the meter <see cref="MeterName"/>.</summary>
public sealed class StreamingMetrics : IDisposable
{
    /// <summary>The meter's name; register it with OpenTelemetry's <c>AddMeter</c>.</summary>
    public const string MeterName = "omnistream.streaming";

    private readonly Meter _meter = new(MeterName);

    /// <summary>The meter of these instruments (one per instance: several may share a process).</summary>
    public Meter Meter => _meter;

    /// <summary>Creates the instruments.</summary>
    public StreamingMetrics()
    {
        _meter.CreateObservableGauge("omnistream.streaming.consumer_lag", () => Lags.Current.Select(e =>
            new Measurement<long>(e.Value.Records, Tags(e.Key))), "{record}", "Records not processed yet, per stage and input partition");
        _meter.CreateObservableGauge("omnistream.streaming.consumer_lag_seconds", () => Lags.Current.Select(e =>
            new Measurement<double>(e.Value.Seconds, Tags(e.Key))), "s", "Age of the oldest unprocessed record, per stage and input partition");
        _meter.CreateObservableGauge("omnistream.streaming.stage_running", () => Stages.Select(e =>
            new Measurement<int>(e.Value() ? 1 : 0, new KeyValuePair<string, object?>("stage", e.Key))), "{stage}", "1 while the stage's loop runs; 0 while it starts, stops or after it failed");
        _meter.CreateObservableGauge("omnistream.streaming.store_keys", () => StoreKeys.Select(e =>
            new Measurement<long>(e.Value(), new KeyValuePair<string, object?>("store", e.Key))), "{key}", "Estimated keys per store shard");
        // Every open shard reports, 0 once restored: the series exists before a restore needs watching.
        _meter.CreateObservableGauge("omnistream.streaming.restore_remaining", () => StoreKeys.Keys.Union(RestoreRemaining.Keys).Select(shard =>
            new Measurement<long>(RestoreRemaining.GetValueOrDefault(shard), new KeyValuePair<string, object?>("store", shard))), "{record}",
            "Changelog records still to replay, per store shard (0 once restored)");
        RestoredRecords = _meter.CreateCounter<long>("omnistream.streaming.restored_records", "{record}", "Changelog records replayed into stores");
        Rebalances = _meter.CreateCounter<long>("omnistream.streaming.rebalances", "{event}", "Partitions assigned, revoked or lost");
        Aborts = _meter.CreateCounter<long>("omnistream.streaming.transactions_aborted", "{transaction}", "Transactions aborted and replayed");
        RecordsIn = _meter.CreateCounter<long>("omnistream.streaming.records_in", "{record}", "Records consumed");
        RecordsOut = _meter.CreateCounter<long>("omnistream.streaming.records_out", "{record}", "Records produced by handlers");
        Produced = _meter.CreateCounter<long>("omnistream.streaming.produced", "By", "Bytes produced (keys and values), by topic");
        Busy = _meter.CreateCounter<double>("omnistream.streaming.busy", "s", "Time a stage's loop spent working rather than waiting for input, by stage (its rate is the stage's busy share)");
        DeadLetters = _meter.CreateCounter<long>("omnistream.streaming.dead_letters", "{record}", "Records set aside on the dead-letter topic");
        ProcessingTime = _meter.CreateHistogram<double>("omnistream.streaming.processing_time", "ms", "Time to handle one record");
        EventToOutput = _meter.CreateHistogram<double>("omnistream.streaming.event_to_output_latency", "ms", "From an input record's timestamp to the handling that produced outputs from it");
        CommitTime = _meter.CreateHistogram<double>("omnistream.streaming.commit_time", "ms", "Time to flush outputs and commit offsets");
    }

    /// <summary>The lag of the partitions this process owns, read by the lag gauges.</summary>
    public LagTracker Lags { get; } = new();

    /// <summary>The stages this process runs, by name, with whether each one's loop runs now.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, Func<bool>> Stages { get; } = new();

    /// <summary>Store shards to report the size of, by name (store/topic-partition).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, Func<long>> StoreKeys { get; } = new();

    /// <summary>Store shards being restored, by name (store/topic-partition), with the records still to replay.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, long> RestoreRemaining { get; } = new();

    /// <summary>Store shards being restored, by name (store/topic-partition), with the records replayed so far.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, long> RestoreApplied { get; } = new();

    /// <summary>Changelog records replayed into stores, by store.</summary>
    public Counter<long> RestoredRecords { get; }

    /// <summary>Rebalance events, by kind (assigned, revoked, lost).</summary>
    public Counter<long> Rebalances { get; }

    /// <summary>Transactions aborted and replayed.</summary>
    public Counter<long> Aborts { get; }

    /// <summary>Records consumed, by topic.</summary>
    public Counter<long> RecordsIn { get; }

    /// <summary>Records produced, by topic.</summary>
    public Counter<long> RecordsOut { get; }

    /// <summary>Bytes produced (keys and values), by topic.</summary>
    public Counter<long> Produced { get; }

    /// <summary>Seconds a stage's loop spent working (not waiting in a poll), by stage.</summary>
    public Counter<double> Busy { get; }

    /// <summary>Records dead-lettered, by source topic and error class.</summary>
    public Counter<long> DeadLetters { get; }

    /// <summary>Time to handle one record.</summary>
    public Histogram<double> ProcessingTime { get; }

    /// <summary>From an input record's timestamp to the end of the handling that sent outputs for it.</summary>
    public Histogram<double> EventToOutput { get; }

    /// <summary>Time to flush and commit.</summary>
    public Histogram<double> CommitTime { get; }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private KeyValuePair<string, object?>[] Tags(Confluent.Kafka.TopicPartition partition) =>
        [new("stage", Lags.StageOf(partition) ?? ""), new("topic", partition.Topic), new("partition", partition.Partition.Value)];
}
