using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Gateway.Telemetry;

/// <summary>The gateway's instruments, under the meter <see cref="MeterName"/>.</summary>
public sealed class GatewayMetrics : IDisposable
{
    /// <summary>The meter's name; register it with OpenTelemetry's <c>AddMeter</c>.</summary>
    public const string MeterName = "omnistream.gateway";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _ingested;
    // Per channel with a webhook, when the action its pusher is on was written (null: none waiting).
    private readonly ConcurrentDictionary<Channel, DateTime?> _undelivered = new();
    private readonly TimeProvider _time;

    /// <summary>Creates the instruments; ages are measured by <paramref name="time"/> (the system clock by default).</summary>
    public GatewayMetrics(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _meter.CreateObservableGauge("omnistream.gateway.webhook_oldest_undelivered_seconds", () => _undelivered.Select(e =>
                new Measurement<double>(e.Value is { } at ? Math.Max(0, (_time.GetUtcNow().UtcDateTime - at).TotalSeconds) : 0, Channel(e.Key))),
            "s", "Age of the oldest action a channel's webhook has not taken yet (0 when it is caught up), by channel");
        _deliveries = _meter.CreateCounter<long>("omnistream.gateway.webhook_deliveries", "{action}",
            "Actions pushed to a channel's webhook, by channel and result (delivered, dead_lettered)");
        _attempts = _meter.CreateCounter<long>("omnistream.gateway.webhook_attempts", "{call}", "Calls it took to deliver the actions delivered, retries included, by channel");
        _ingested = _meter.CreateCounter<long>("omnistream.gateway.messages_ingested", "{message}",
            "Messages received over HTTP (events, Segment calls), by source and result (accepted, ignored, rejected, unacknowledged)");
    }

    /// <summary><paramref name="count"/> messages from <paramref name="source"/> ended as <paramref name="result"/>.</summary>
    public void Ingested(string source, string result, int count)
    {
        if (count > 0)
        {
            _ingested.Add(count, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("result", result));
        }
    }

    /// <summary><paramref name="channel"/>'s pusher is on an action written at <paramref name="writtenAt"/>, not taken yet.</summary>
    public void Undelivered(Channel channel, DateTime writtenAt) => _undelivered[channel] = writtenAt;

    /// <summary>An action <paramref name="channel"/>'s webhook took after <paramref name="attempts"/> calls.</summary>
    public void Delivered(Channel channel, int attempts)
    {
        _undelivered[channel] = null;
        _deliveries.Add(1, Channel(channel), new KeyValuePair<string, object?>("result", "delivered"));
        _attempts.Add(attempts, Channel(channel));
    }

    /// <summary>An action <paramref name="channel"/>'s webhook did not take: set aside on the dead-letter topic.</summary>
    public void DeadLettered(Channel channel)
    {
        _undelivered[channel] = null;
        _deliveries.Add(1, Channel(channel), new KeyValuePair<string, object?>("result", "dead_lettered"));
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Channel(Channel channel) => new("channel", channel.ToString());
}
