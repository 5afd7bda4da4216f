using System.Text;
using Confluent.Kafka;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;

namespace OmniStream.Streaming.Tests.Tasks;

/// <summary>A toy stage whose every record arms a timer for its key, due at once; the timer of key "bad" throws when it fires, the others send "fired:key".</summary>
internal sealed class TimerHandler(string input, string output) : IStreamHandler
{
    public const string TimersStore = "toy-timers";

    public string Stage => "toy";

    public IReadOnlyList<string> InputTopics { get; } = [input];

    public IReadOnlyList<string> Stores { get; } = [TimersStore];

    public ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, ITaskContext task, CancellationToken cancellationToken)
    {
        Timers(task).Schedule(record.Message.Key, record.Message.Timestamp.UtcDateTime);
        return ValueTask.CompletedTask;
    }

    public async ValueTask OnTickAsync(DateTime now, ITaskContext task, CancellationToken cancellationToken)
    {
        foreach (var key in Timers(task).TakeDue(now))
        {
            await task.FireAsync(TimersStore, key, now, _ =>
            {
                var name = Encoding.UTF8.GetString(key);
                if (name == "bad")
                {
                    throw new InvalidOperationException("the timer of 'bad' cannot fire");
                }
                task.Send(output, key, Encoding.UTF8.GetBytes("fired:" + name));
                return ValueTask.CompletedTask;
            }, cancellationToken);
        }
    }

    public bool IsTransient(Exception exception) => false;

    private static PersistentTimers Timers(ITaskContext task) => task.Local(TimersStore, () => new PersistentTimers(task.Store(TimersStore)));
}
