using Confluent.Kafka;

namespace OmniStream.Testing.Kafka;

/// <summary>Reads topics from the beginning (read_committed) until a condition holds or a deadline passes.</summary>
public sealed class TopicReader : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _consumer;

    /// <summary>Subscribes a fresh consumer group to <paramref name="topics"/>.</summary>
    public TopicReader(string bootstrapServers, IEnumerable<string> topics)
    {
        _consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "test-reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 20,
        }).Build();
        _consumer.Subscribe(topics);
    }

    /// <summary>Everything read so far.</summary>
    public List<ConsumeResult<byte[], byte[]>> Records { get; } = [];

    /// <summary>Reads until <paramref name="done"/> holds over the records read; fails the test at the deadline.</summary>
    public Task<List<ConsumeResult<byte[], byte[]>>> ReadUntilAsync(
        Func<IReadOnlyList<ConsumeResult<byte[], byte[]>>, bool> done, TimeSpan timeout, string what) =>
        Task.Run(() =>
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!done(Records))
            {
                if (DateTime.UtcNow > deadline)
                {
                    NUnit.Framework.Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what} ({Records.Count} records read)");
                }
                if (_consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } record)
                {
                    Records.Add(record);
                }
            }
            return Records;
        });

    /// <summary>Reads until the reader has reached the end of every partition of its topics, as it stands now.</summary>
    public Task<List<ConsumeResult<byte[], byte[]>>> ReadToEndAsync(TimeSpan timeout) =>
        ReadUntilAsync(_ => AtEnd(), timeout, "the end of the topics");

    private bool AtEnd()
    {
        var assignment = _consumer.Assignment;
        return assignment.Count > 0 && assignment.All(partition =>
        {
            var high = _consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5)).High.Value;
            var position = _consumer.Position(partition);
            return high == 0 || (position != Offset.Unset && position.Value >= high);
        });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
