namespace OmniStream.Streaming.State;

/// <summary>
/// Reports on the calling thread, in order (<see cref="Progress{T}"/> posts to the thread pool,
/// where a late report could land after the work is over).
/// </summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}
