namespace OmniStream.Deployment.Tests;

/// <summary>
/// Every worker application on the test cluster reads every channel topic, so a test's own traffic reaches the workers
/// of every test running beside it. Tests that publish steady traffic, and tests that need the channels quiet around a
/// moment they compare (the migration compares an hour's KPIs before and after), take turns through this lock.
/// </summary>
internal static class ChannelTraffic
{
    private static readonly SemaphoreSlim Turn = new(1, 1);

    /// <summary>Waits for the channels to be this test's alone; dispose the answer to give them back.</summary>
    public static async Task<IDisposable> TakeTurnAsync()
    {
        await Turn.WaitAsync().ConfigureAwait(false);
        return new Release();
    }

    private sealed class Release : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Turn.Release();
            }
        }
    }
}
