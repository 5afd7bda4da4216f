namespace OmniStream.Streaming.Tasks;

/// <summary>
/// When a stage commits. Every commit interval while the stage keeps up with its input; while
/// the input keeps it busy the whole interval, commits start no closer together than
/// <see cref="IntervalPerCommitTime"/> times as long as the last one took, so that committing
/// takes at most about a third of its time.
/// A commit costs round trips to the brokers whatever it carries: on a busy machine or with slow
/// brokers each one takes longer, and a stage that went on committing as often as when all is
/// well would spend its time committing and fall further behind.
/// </summary>
/// <param name="interval">The commit interval.</param>
/// <param name="longest">The longest time between commits, well within the transaction timeout.</param>
internal sealed class CommitPacing(TimeSpan interval, TimeSpan longest)
{
    /// <summary>While busy, the least time from one commit's start to the next, in multiples of the last commit's duration.</summary>
    public const int IntervalPerCommitTime = 3;

    private TimeSpan _lastCommitTook;
    private bool _idleSinceCommit;

    /// <summary>The time between commits now.</summary>
    public TimeSpan Interval =>
        _idleSinceCommit ? interval : TimeSpan.FromTicks(Math.Clamp(_lastCommitTook.Ticks * IntervalPerCommitTime, interval.Ticks, Math.Max(interval.Ticks, longest.Ticks)));

    /// <summary>The stage found nothing to read: it keeps up with its input.</summary>
    public void Idle() => _idleSinceCommit = true;

    /// <summary>Whether the stage should commit, <paramref name="sinceLastCommit"/> after its last commit started.</summary>
    public bool IsDue(TimeSpan sinceLastCommit) => sinceLastCommit >= Interval;

    /// <summary>The stage committed; it took <paramref name="took"/>.</summary>
    public void Committed(TimeSpan took)
    {
        _lastCommitTook = took;
        _idleSinceCommit = false;
    }
}
