namespace OmniStream.Streaming.Tasks;

/// <summary>
/// What a task of a later stage knows of the progress of the stages that feed it, from the
/// watermarks in its input: per stage and source partition the latest time reported (a partition
/// moving to another instance never takes its time back), and the time every source of every
/// feeding stage has passed. A watermark from a stage not in <paramref name="stages"/> (or of
/// version 1, which names no stage: an instance not yet upgraded) counts for nothing, so timers wait
/// for the stages they expect rather than run ahead on another's word.
/// </summary>
/// <param name="stages">The stages that feed this one.</param>
internal sealed class UpstreamProgress(IReadOnlyCollection<string> stages)
{
    private readonly Dictionary<string, StageProgress> _byStage = stages.ToDictionary(stage => stage, _ => new StageProgress());

    /// <summary>Takes the progress <paramref name="watermark"/> reports; false when it comes from no stage this one expects.</summary>
    public bool Apply(Watermark watermark)
    {
        if (!_byStage.TryGetValue(watermark.Stage, out var progress))
        {
            return false;
        }
        progress.Sources = watermark.SourcePartitions;
        foreach (var source in watermark.Sources)
        {
            var key = (source.Topic, source.Partition);
            if (!progress.BySource.TryGetValue(key, out var known) || source.Time > known)
            {
                progress.BySource[key] = source.Time;
            }
        }
        return true;
    }

    /// <summary>The time every source partition of every feeding stage has been forwarded up to; <see cref="DateTime.MinValue"/> until all have reported.</summary>
    public DateTime Time
    {
        get
        {
            var time = DateTime.MaxValue;
            foreach (var progress in _byStage.Values)
            {
                if (progress.BySource.Count < progress.Sources)
                {
                    return DateTime.MinValue;
                }
                var slowest = progress.BySource.Values.Min();
                time = slowest < time ? slowest : time;
            }
            return _byStage.Count == 0 ? DateTime.MinValue : time;
        }
    }

    private sealed class StageProgress
    {
        public Dictionary<(string Topic, int Partition), DateTime> BySource { get; } = [];

        public int Sources { get; set; } = int.MaxValue;
    }
}
