using Microsoft.Extensions.Logging;

namespace OmniStream.Streaming.State;

/// <summary>
/// Deletes the state directories of a stage's tasks that no thread of this instance has open, once they
/// have been closed for the cleanup delay (as Kafka Streams' state directory cleaner does): a partition
/// that moved to another instance leaves no copy of its stores here for longer than that. One per stage
/// of an instance, shared by its threads; opening a task and sweeping exclude each other.
/// </summary>
internal sealed partial class StateCleaner(string stageDirectory, TimeSpan delay, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _open = new(StringComparer.Ordinal);
    private DateTime _nextSweep = DateTime.MinValue;

    /// <summary>The directory of a task's stores.</summary>
    public string TaskDirectory(string topic, int partition) => Path.Combine(stageDirectory, $"{topic}-{partition}");

    /// <summary>A task opens in <paramref name="directory"/>: the sweep leaves it alone until it is <see cref="Closed"/>.</summary>
    public void Opening(string directory)
    {
        lock (_gate)
        {
            _open.Add(directory);
        }
    }

    /// <summary>The task of <paramref name="directory"/> closed at <paramref name="now"/>: its directory may go once the delay has passed.</summary>
    public void Closed(string directory, DateTime now)
    {
        lock (_gate)
        {
            _open.Remove(directory);
            if (Directory.Exists(directory))
            {
                Directory.SetLastWriteTimeUtc(directory, now);
            }
        }
    }

    /// <summary>Deletes every closed task's directory idle for the delay, at most once per half delay (or minute); returns how many went.</summary>
    public int Sweep(DateTime now)
    {
        lock (_gate)
        {
            if (now < _nextSweep || !Directory.Exists(stageDirectory))
            {
                return 0;
            }
            _nextSweep = now + TimeSpan.FromTicks(Math.Min(delay.Ticks / 2, TimeSpan.TicksPerMinute));
            var deleted = 0;
            foreach (var directory in Directory.EnumerateDirectories(stageDirectory))
            {
                if (_open.Contains(directory) || Directory.GetLastWriteTimeUtc(directory) + delay > now)
                {
                    continue;
                }
                try
                {
                    Directory.Delete(directory, recursive: true);
                    deleted++;
                    LogDeleted(directory, delay);
                }
                catch (IOException e)
                {
                    LogNotDeleted(directory, e.Message);
                }
                catch (UnauthorizedAccessException e)
                {
                    LogNotDeleted(directory, e.Message);
                }
            }
            return deleted;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Directory}: its task has been closed here for more than {Delay}")]
    private partial void LogDeleted(string directory, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the closed task's state directory {Directory}: {Reason}")]
    private partial void LogNotDeleted(string directory, string reason);
}
