using System.Runtime.ExceptionServices;

namespace OmniStream.Streaming.Tasks;

/// <summary>
/// Runs parts that live and stop together, each on a thread of its own: when one fails, the others
/// are cancelled (each stops as it does when the host stops), and once all have stopped the first
/// failure is thrown.
/// </summary>
public static class StopTogether
{
    /// <summary>Runs every part until <paramref name="stop"/> is cancelled or one of them fails.</summary>
    /// <param name="parts">Each part's name and how to run it until its token is cancelled.</param>
    /// <param name="stop">Stops every part.</param>
    /// <param name="wrap">Turns a part's failure into the exception thrown (the failure itself when null).</param>
    public static async Task RunAsync(IEnumerable<(string Name, Func<CancellationToken, Task> Run)> parts, CancellationToken stop,
        Func<string, Exception, Exception>? wrap = null)
    {
        ArgumentNullException.ThrowIfNull(parts);
        using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Exception? failure = null;
        var running = parts.Select(part => Task.Factory.StartNew(async () =>
        {
            try
            {
                await part.Run(stopAll.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopAll.IsCancellationRequested)
            {
                // Stopping, for the host or for another part's failure.
            }
            catch (Exception error)
            {
                Interlocked.CompareExchange(ref failure, wrap?.Invoke(part.Name, error) ?? error, null);
                await stopAll.CancelAsync().ConfigureAwait(false);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToList();
        await Task.WhenAll(running).ConfigureAwait(false);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }
}
