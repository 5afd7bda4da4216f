using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;

namespace OmniStream.Streaming.Tests.Tasks;

/// <summary>
/// A toy stage whose every record arms a timer for its key, due at once; the timer of key "bad" throws
/// when it fires, the others send "fired:key". It keeps each key's stored timer time beside it (what
/// <see cref="DueTimers"/> asks of its owner), in a second store.
/// </summary>
internal sealed class TimerHandler(string input, string output) : IStreamHandler
{
    public const string TimersStore = "toy-timers";
    public const string ArmedStore = "toy-armed";

    public string Stage => "toy";

    public IReadOnlyList<string> InputTopics { get; } = [input];

    public IReadOnlyList<string> Stores { get; } = [TimersStore, ArmedStore];

    public ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, ITaskContext task, CancellationToken cancellationToken)
    {
        Timers(task).Set(record.Message.Key, Armed(task, record.Message.Key), record.Message.Timestamp.UtcDateTime);
        return ValueTask.CompletedTask;
    }

    public async ValueTask OnTickAsync(DateTime now, ITaskContext task, CancellationToken cancellationToken)
    {
        foreach (var key in Timers(task).TakeDue(now))
        {
            await task.FireAsync(TimersStore, key, now, 0, (_, _) =>
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

    public void OnCommitting(ITaskContext task)
    {
        var armed = task.Store(ArmedStore);
        foreach (var (key, due) in Timers(task).Flush())
        {
            if (due is { } time)
            {
                var ticks = new byte[sizeof(long)];
                BinaryPrimitives.WriteInt64BigEndian(ticks, time.Ticks);
                armed.Put(key, ticks);
            }
            else
            {
                armed.Delete(key);
            }
        }
    }

    public bool IsTransient(Exception exception) => false;

    private static DueTimers Timers(ITaskContext task) => task.Local(TimersStore, () => new DueTimers(task.Store(TimersStore)));

    private static DateTime? Armed(ITaskContext task, byte[] key) =>
        task.Store(ArmedStore).Find(key) is { } ticks ? new DateTime(BinaryPrimitives.ReadInt64BigEndian(ticks), DateTimeKind.Utc) : null;
}
