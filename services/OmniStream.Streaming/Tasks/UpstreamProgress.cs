namespace OmniStream.Streaming.Tasks;

/// <summary>
/// What a task of a later stage knows of the earlier stage's progress, from the watermarks in its
/// input: per source partition the latest time reported (a partition moving to another instance
/// never takes its time back), and the time every source has passed.
/// </summary>
internal sealed class UpstreamProgress
{
    private readonly Dictionary<(string Topic, int Partition), DateTime> _bySource = [];
    private int _sources = int.MaxValue;

    public void Apply(Watermark watermark)
    {
        _sources = watermark.SourcePartitions;
        foreach (var source in watermark.Sources)
        {
            var key = (source.Topic, source.Partition);
            if (!_bySource.TryGetValue(key, out var known) || source.Time > known)
            {
                _bySource[key] = source.Time;
            }
        }
    }

    /// <summary>The time every source partition has been forwarded up to; <see cref="DateTime.MinValue"/> until all have reported.</summary>
    public DateTime Time => _bySource.Count >= _sources ? _bySource.Values.Min() : DateTime.MinValue;
}
