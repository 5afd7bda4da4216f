using OmniStream.Adapters.Segment;

namespace OmniStream.Gateway.Segment;

/// <summary>One <see cref="SegmentAdapter"/> per configured source, on its channel, with the configured mapping.</summary>
public sealed class SegmentAdapters(SegmentOptions options, SegmentMapping mapping)
{
    private readonly Dictionary<string, SegmentAdapter> _bySource = options.Sources.ToDictionary(s => s.Name, s => new SegmentAdapter(mapping, s.Name, s.Channel, [.. s.Payloads]), StringComparer.Ordinal);

    /// <summary>The adapter of <paramref name="source"/>.</summary>
    public SegmentAdapter Of(SegmentSource source) => _bySource[source.Name];
}
