using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OmniStream.Streaming.Telemetry;

namespace OmniStream.Cli.Demo;

/// <summary>Reads the runtime's own counters (the ones ops see through OpenTelemetry) for the demo's display and the benchmark.</summary>
internal sealed class RuntimeCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _recordsInByTopic = new();
    private long _deadLetters;

    public RuntimeCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StreamingMetrics.MeterName && instrument.Name is "omnistream.streaming.dead_letters" or "omnistream.streaming.records_in")
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
            foreach (var tag in tags)
            {
                if (tag is { Key: "topic", Value: string topic })
                {
                    _recordsInByTopic.AddOrUpdate(topic, value, (_, total) => total + value);
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

    public void Dispose() => _listener.Dispose();
}
