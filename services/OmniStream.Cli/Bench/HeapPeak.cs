namespace OmniStream.Cli.Bench;

/// <summary>
/// The largest .NET heap (objects after a collection, and memory the GC holds from the system) seen
/// while it runs, sampled every 200 ms: what of the process's RSS is managed, the rest being native
/// (the embedded brokers' logs, RocksDB, librdkafka's buffers).
/// </summary>
internal sealed class HeapPeak : IAsyncDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(200);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _heapBytes;
    private long _committedBytes;

    public HeapPeak() => _sampling = SampleAsync(_stop.Token);

    /// <summary>The largest heap after a collection, in MB.</summary>
    public double HeapMb => Volatile.Read(ref _heapBytes) / (1024.0 * 1024);

    /// <summary>The most memory the GC held from the system, in MB.</summary>
    public double CommittedMb => Volatile.Read(ref _committedBytes) / (1024.0 * 1024);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }

    private async Task SampleAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Every);
        try
        {
            do
            {
                var info = GC.GetGCMemoryInfo();
                Volatile.Write(ref _heapBytes, Math.Max(Volatile.Read(ref _heapBytes), info.HeapSizeBytes));
                Volatile.Write(ref _committedBytes, Math.Max(Volatile.Read(ref _committedBytes), info.TotalCommittedBytes));
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Done sampling.
        }
    }
}
