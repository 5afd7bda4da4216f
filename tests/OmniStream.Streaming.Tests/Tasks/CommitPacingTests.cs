using OmniStream.Streaming.Tasks;

namespace OmniStream.Streaming.Tests.Tasks;

public class CommitPacingTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(2_500);

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    [Test]
    public void A_stage_whose_commits_are_quick_commits_every_interval()
    {
        var pacing = new CommitPacing(Interval, Longest);
        pacing.Committed(Ms(20));

        Assert.That(pacing.IsDue(Ms(99)), Is.False);
        Assert.That(pacing.IsDue(Ms(100)), Is.True);
    }

    [Test]
    public void A_busy_stage_whose_commits_grow_slow_spaces_them_three_times_as_long_as_the_last_took()
    {
        var pacing = new CommitPacing(Interval, Longest);
        pacing.Committed(Ms(60));

        Assert.That(pacing.Interval, Is.EqualTo(Ms(180)));
        Assert.That(pacing.IsDue(Ms(150)), Is.False);
        Assert.That(pacing.IsDue(Ms(180)), Is.True);
    }

    [Test]
    public void A_stage_that_caught_up_with_its_input_commits_every_interval_however_slow_its_last_commit()
    {
        var pacing = new CommitPacing(Interval, Longest);
        pacing.Committed(Ms(60));
        pacing.Idle();

        Assert.That(pacing.Interval, Is.EqualTo(Interval));
    }

    [Test]
    public void However_slow_the_commits_the_time_between_them_stays_within_the_longest()
    {
        var pacing = new CommitPacing(Interval, Longest);
        pacing.Committed(TimeSpan.FromSeconds(5));

        Assert.That(pacing.Interval, Is.EqualTo(Longest));
    }

    [Test]
    public void Idleness_counts_only_until_the_next_commit()
    {
        var pacing = new CommitPacing(Interval, Longest);
        pacing.Idle();
        pacing.Committed(Ms(60));

        Assert.That(pacing.Interval, Is.EqualTo(Ms(180)), "busy again since the commit");
    }
}
