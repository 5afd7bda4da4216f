namespace OmniStream.Cli.Bench;

/// <summary>Waits for a condition the benchmark cannot be told about (a count another thread advances).</summary>
internal static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(5);

    /// <summary>True once <paramref name="condition"/> holds; false when <paramref name="deadline"/> passes first.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan deadline, CancellationToken stop)
    {
        var end = DateTime.UtcNow + deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > end)
            {
                return false;
            }
            await Task.Delay(Interval, stop);
        }
        return true;
    }
}
