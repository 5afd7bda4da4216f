using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace OmniStream.Channels.Tracing;

/// <summary>W3C trace context in Kafka headers, so a trace goes from the channel to the action.</summary>
public static class TraceHeaders
{
    /// <summary>The header name (W3C Trace Context).</summary>
    public const string TraceParent = "traceparent";

    /// <summary>The activity source of the SDK; register it with OpenTelemetry's <c>AddSource</c>.</summary>
    public const string ActivitySourceName = "omnistream.channels";

    /// <summary>The SDK's activity source.</summary>
    public static ActivitySource Source { get; } = new(ActivitySourceName);

    /// <summary>Headers carrying <paramref name="traceParent"/>, or none when it is null.</summary>
    public static Headers With(string? traceParent)
    {
        var headers = new Headers();
        if (!string.IsNullOrEmpty(traceParent))
        {
            headers.Add(TraceParent, Encoding.ASCII.GetBytes(traceParent));
        }
        return headers;
    }

    /// <summary>The traceparent of a record, if it has one.</summary>
    public static string? Read(Headers? headers) =>
        headers is not null && headers.TryGetLastBytes(TraceParent, out var bytes) ? Encoding.ASCII.GetString(bytes) : null;
}
