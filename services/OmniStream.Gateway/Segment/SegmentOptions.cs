using OmniStream.Schemas.Contracts;

namespace OmniStream.Gateway.Segment;

/// <summary>
/// The sources allowed to send Segment tracking calls, and the web pages that may send them from a
/// browser. Section <c>OmniStream:Segment</c>; the mapping of calls to events is bound from the same
/// section (<see cref="Adapters.Segment.SegmentMapping"/>). No source, no Segment endpoints.
/// </summary>
public sealed class SegmentOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = Adapters.Segment.SegmentMapping.Section;

    /// <summary>Each source's name, write key and channel.</summary>
    public IList<SegmentSource> Sources { get; } = [];

    /// <summary>
    /// The origins (<c>https://shop.example</c>) whose pages may call the endpoints from a browser
    /// (CORS); <c>*</c> for any. None by default: server-side libraries need none.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>The first problem, naming the setting; null when none.</summary>
    public string? Problem()
    {
        for (var i = 0; i < Sources.Count; i++)
        {
            var source = Sources[i];
            if (string.IsNullOrWhiteSpace(source.Name))
            {
                return $"{Section}:Sources:{i}:Name is required";
            }
            if (source.WriteKey.Length < 16)
            {
                return $"{Section}:Sources:{i}:WriteKey must be at least 16 characters (it is the source's secret)";
            }
            if (source.Channel == Channel.UNKNOWN)
            {
                return $"{Section}:Sources:{i}:Channel must name a channel (WEB, MOBILE_APP, ...)";
            }
            if (source.Payloads.FirstOrDefault(p => !Adapters.Segment.SegmentMapping.Payloads.Contains(p)) is { } payload)
            {
                return $"{Section}:Sources:{i}:Payloads: '{payload}' is not a payload a source may send (one of {string.Join(", ", Adapters.Segment.SegmentMapping.Payloads)}; erasure goes through the privacy API)";
            }
        }
        var names = Sources.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        var keys = Sources.GroupBy(s => s.WriteKey, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return names is not null ? $"{Section}:Sources: two sources are named '{names.Key}'"
            : keys is not null ? $"{Section}:Sources: two sources share a write key"
            : AllowedOrigins.FirstOrDefault(o => o != "*" && !(Uri.TryCreate(o, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/")) is { } origin
                ? $"{Section}:AllowedOrigins: '{origin}' is not an origin (scheme, host and port, e.g. https://shop.example) or *"
            : null;
    }
}

/// <summary>A website or app that sends Segment calls.</summary>
public sealed class SegmentSource
{
    /// <summary>Its name, on its refused messages and metrics (e.g. <c>shop-web</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>Its write key, the secret its Segment library sends (HTTP Basic user name, or <c>writeKey</c> in the body).</summary>
    public string WriteKey { get; set; } = "";

    /// <summary>The channel its events are on (WEB for a website, MOBILE_APP for an app).</summary>
    public Channel Channel { get; set; } = Channel.UNKNOWN;

    /// <summary>
    /// The payloads (schema names, e.g. <c>ConsentChanged</c>) its events may carry; empty: every payload but a consent
    /// change (<see cref="Adapters.Segment.SegmentMapping.DefaultSourcePayloads"/>), since a browser's write key is public.
    /// </summary>
    public IList<string> Payloads { get; } = [];
}
