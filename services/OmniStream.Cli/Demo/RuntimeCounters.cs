using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OmniStream.Streaming.Telemetry;

namespace OmniStream.Cli.Demo;

/// <summary>Reads the runtime's own counters (the ones ops see through OpenTelemetry) for the demo's display and the benchmark.</summary>
internal sealed class RuntimeCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _recordsInByTopic = new();
    private readonly ConcurrentDictionary<string, long> _producedByTopic = new();
    private readonly ConcurrentDictionary<string, double> _busyByStage = new();
    private long _deadLetters;

    public RuntimeCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StreamingMetrics.MeterName && instrument.Name is "omnistream.streaming.dead_letters" or "omnistream.streaming.records_in"
                    or "omnistream.streaming.produced" or "omnistream.streaming.busy")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name.EndsWith("dead_letters", StringComparison.Ordinal))
            {
                Interlocked.Add(ref _deadLetters, value);
                return;
            }
            var byTopic = instrument.Name.EndsWith("produced", StringComparison.Ordinal) ? _producedByTopic : _recordsInByTopic;
            foreach (var tag in tags)
            {
                if (tag is { Key: "topic", Value: string topic })
                {
                    byTopic.AddOrUpdate(topic, value, (_, total) => total + value);
                }
            }
        });
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "stage", Value: string stage })
                {
                    _busyByStage.AddOrUpdate(stage, value, (_, total) => total + value);
                }
            }
        });
        _listener.Start();
    }

    public long DeadLetters => Interlocked.Read(ref _deadLetters);

    /// <summary>Records consumed by every stage.</summary>
    public long RecordsIn => _recordsInByTopic.Values.Sum();

    /// <summary>Records consumed from <paramref name="topic"/>.</summary>
    public long RecordsInFrom(string topic) => _recordsInByTopic.GetValueOrDefault(topic);

    /// <summary>Bytes produced (keys and values) so far, by topic.</summary>
    public IReadOnlyDictionary<string, long> ProducedByTopic() => new Dictionary<string, long>(_producedByTopic);

    /// <summary>Seconds <paramref name="stage"/>'s loop spent working, as reported so far (every second).</summary>
    public double BusySeconds(string stage) => _busyByStage.GetValueOrDefault(stage);

    public void Dispose() => _listener.Dispose();
}
