using System.Text;
using Confluent.Kafka;
using OmniStream.Streaming.Tasks;

namespace OmniStream.Streaming.Tests.Tasks;

/// <summary>
/// A toy stage that only counts records in the task's memory and sends the tally ("partition:count")
/// when the transaction commits: nothing is sent while records are handled.
/// </summary>
internal sealed class TallyHandler(string input, string output) : IStreamHandler
{
    public string Stage => "toy";

    public IReadOnlyList<string> InputTopics { get; } = [input];

    public IReadOnlyList<string> Stores { get; } = [];

    public ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, ITaskContext task, CancellationToken cancellationToken)
    {
        task.Local("tally", () => new Tally()).Count++;
        return ValueTask.CompletedTask;
    }

    public void OnCommitting(ITaskContext task)
    {
        var tally = task.Local("tally", () => new Tally());
        if (tally.Count > 0)
        {
            task.Send(output, [], Encoding.UTF8.GetBytes($"{task.Partition}:{tally.Count}"));
            tally.Count = 0;
        }
    }

    public ValueTask OnTickAsync(DateTime now, ITaskContext task, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public bool IsTransient(Exception exception) => false;

    private sealed class Tally
    {
        public int Count { get; set; }
    }
}
