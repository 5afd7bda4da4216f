using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using OmniStream.Streaming.Tasks;

namespace OmniStream.Streaming.Tests.Tasks;

/// <summary>
/// A domain-free handler: upper-cases values to an output topic; "boom" throws, "flaky" fails
/// transiently twice; each tick after a "timer" record emits one "tick" record.
/// </summary>
internal sealed class ToyHandler(string input, string output) : IStreamHandler
{
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private int _timersArmed;

    public string Stage => "toy";

    public IReadOnlyList<string> InputTopics { get; } = [input];

    public IReadOnlyList<string> Stores { get; } = [];

    public ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, ITaskContext sink, CancellationToken cancellationToken)
    {
        var value = Encoding.UTF8.GetString(record.Message.Value);
        switch (value)
        {
            case "boom":
                throw new InvalidOperationException("the toy handler refuses 'boom'");
            case "flaky" when _attempts.AddOrUpdate(value, 1, (_, n) => n + 1) <= 2:
                throw new TimeoutException("transient");
            case "timer":
                Interlocked.Increment(ref _timersArmed);
                break;
        }
        sink.Send(output, record.Message.Key, Encoding.UTF8.GetBytes(value.ToUpperInvariant()));
        return ValueTask.CompletedTask;
    }

    public ValueTask OnTickAsync(DateTime now, ITaskContext sink, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _timersArmed, 0) > 0)
        {
            sink.Send(output, "tick"u8.ToArray(), "tick"u8.ToArray());
        }
        return ValueTask.CompletedTask;
    }

    public bool IsTransient(Exception exception) => exception is TimeoutException;
}
