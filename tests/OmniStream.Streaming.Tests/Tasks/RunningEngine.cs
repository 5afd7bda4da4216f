using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;

namespace OmniStream.Streaming.Tests.Tasks;

/// <summary>
/// An engine (and whatever must run beside it) on a thread of its own, stopped — committing — on
/// dispose, its state directory then wiped when one is given.
/// </summary>
internal sealed class RunningEngine : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly string? _stateDirectory;

    public RunningEngine(StreamEngine engine, string? stateDirectory = null, params Func<CancellationToken, Task>[] alongside)
    {
        Engine = engine;
        _stateDirectory = stateDirectory;
        Running = Task.WhenAll([Task.Run(() => engine.RunAsync(_stop.Token)), .. alongside.Select(run => run(_stop.Token))]);
    }

    public StreamEngine Engine { get; }

    /// <summary>Completes when the engine stops; faults when it fails.</summary>
    public Task Running { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Running;
        _stop.Dispose();
        if (_stateDirectory is not null)
        {
            RocksDbStore.Wipe(_stateDirectory);
        }
    }
}
