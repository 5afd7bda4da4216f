using System.Diagnostics.Metrics;
using OmniStream.Streaming.Telemetry;

namespace OmniStream.Cli.Demo;

/// <summary>Reads the runtime's own counters (the ones ops see through OpenTelemetry) for the demo's display.</summary>
internal sealed class RuntimeCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _deadLetters;
    private long _recordsIn;

    public RuntimeCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StreamingMetrics.MeterName && instrument.Name is "omnistream.streaming.dead_letters" or "omnistream.streaming.records_in")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name.EndsWith("dead_letters", StringComparison.Ordinal))
            {
                Interlocked.Add(ref _deadLetters, value);
            }
            else
            {
                Interlocked.Add(ref _recordsIn, value);
            }
        });
        _listener.Start();
    }

    public long DeadLetters => Interlocked.Read(ref _deadLetters);

    public long RecordsIn => Interlocked.Read(ref _recordsIn);

    public void Dispose() => _listener.Dispose();
}
