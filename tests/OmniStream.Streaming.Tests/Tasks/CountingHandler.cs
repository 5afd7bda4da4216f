using System.Text;
using Confluent.Kafka;
using OmniStream.Streaming.Tasks;

namespace OmniStream.Streaming.Tests.Tasks;

/// <summary>
/// A toy stateful topology: counts records per key in a store and emits "key=count". With
/// <c>failOnceAtOffset</c>, the record at that offset raises a Kafka error the first time, as a
/// broker refusing the transaction would, so that the loop aborts and replays; <see cref="StallNextRecord"/>
/// keeps the thread busy on one record.
/// </summary>
internal sealed class CountingHandler(string input, string output, long? failOnceAtOffset = null) : IStreamHandler
{
    public const string Store = "counts";
    private int _failed;
    private long _stallTicks;

    /// <summary>Makes the next record take <paramref name="duration"/>, as a worker busy past part of its session would.</summary>
    public void StallNextRecord(TimeSpan duration) => Interlocked.Exchange(ref _stallTicks, duration.Ticks);

    public string Stage => "count";

    public IReadOnlyList<string> InputTopics { get; } = [input];

    public IReadOnlyList<string> Stores { get; } = [Store];

    public ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, ITaskContext task, CancellationToken cancellationToken)
    {
        if (record.Offset.Value == failOnceAtOffset && Interlocked.Exchange(ref _failed, 1) == 0)
        {
            throw new KafkaException(new Error(ErrorCode.Local_Fail, "refused once by the test"));
        }
        if (Interlocked.Exchange(ref _stallTicks, 0) is > 0 and var stall)
        {
            // The work of a busy thread, not a wait for something.
            Thread.Sleep(TimeSpan.FromTicks(stall));
        }
        var counts = task.Store(Store);
        var count = (counts.Find(record.Message.Key) is { } bytes ? BitConverter.ToInt64(bytes) : 0) + 1;
        counts.Put(record.Message.Key, BitConverter.GetBytes(count));
        task.Send(output, record.Message.Key, Encoding.UTF8.GetBytes($"{Encoding.UTF8.GetString(record.Message.Key)}={count}"));
        return ValueTask.CompletedTask;
    }

    public ValueTask OnTickAsync(DateTime now, ITaskContext task, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public bool IsTransient(Exception exception) => false;
}
