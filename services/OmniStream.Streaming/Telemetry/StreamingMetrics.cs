using System.Diagnostics.Metrics;

namespace OmniStream.Streaming.Telemetry;

/// <summary>The runtime's instruments, under the meter <see cref="MeterName"/>.</summary>
public sealed class StreamingMetrics : IDisposable
{
    /// <summary>The meter's name; register it with OpenTelemetry's <c>AddMeter</c>.</summary>
    public const string MeterName = "omnistream.streaming";

    private readonly Meter _meter = new(MeterName);

    /// <summary>Creates the instruments.</summary>
    public StreamingMetrics()
    {
        RecordsIn = _meter.CreateCounter<long>("omnistream.streaming.records_in", "{record}", "Records consumed");
        RecordsOut = _meter.CreateCounter<long>("omnistream.streaming.records_out", "{record}", "Records produced by handlers");
        DeadLetters = _meter.CreateCounter<long>("omnistream.streaming.dead_letters", "{record}", "Records set aside on the dead-letter topic");
        ProcessingTime = _meter.CreateHistogram<double>("omnistream.streaming.processing_time", "ms", "Time to handle one record");
        CommitTime = _meter.CreateHistogram<double>("omnistream.streaming.commit_time", "ms", "Time to flush outputs and commit offsets");
    }

    /// <summary>Records consumed, by topic.</summary>
    public Counter<long> RecordsIn { get; }

    /// <summary>Records produced, by topic.</summary>
    public Counter<long> RecordsOut { get; }

    /// <summary>Records dead-lettered, by source topic and error class.</summary>
    public Counter<long> DeadLetters { get; }

    /// <summary>Time to handle one record.</summary>
    public Histogram<double> ProcessingTime { get; }

    /// <summary>Time to flush and commit.</summary>
    public Histogram<double> CommitTime { get; }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
