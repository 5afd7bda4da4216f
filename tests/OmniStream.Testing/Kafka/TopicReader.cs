using Confluent.Kafka;

namespace OmniStream.Testing.Kafka;

/// <summary>
/// Reads topics from the beginning (read_committed) until a condition holds or a deadline passes.
/// It assigns itself every partition rather than joining a consumer group: nothing to wait for but
/// the topics' metadata, and no coordinator between a test and its records.
/// </summary>
public sealed class TopicReader : IDisposable
{
    private static readonly TimeSpan TopicWait = TimeSpan.FromSeconds(30);
    private readonly IConsumer<byte[], byte[]> _consumer;

    /// <summary>Assigns the reader every partition of <paramref name="topics"/>, waiting (30 s at most) for topics not created yet.</summary>
    /// <exception cref="InvalidOperationException">A topic still does not exist after 30 s.</exception>
    public TopicReader(string bootstrapServers, IEnumerable<string> topics)
    {
        _consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "test-reader-" + Guid.NewGuid().ToString("N"),
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 20,
        }).Build();
        _consumer.Assign(PartitionsOf(bootstrapServers, [.. topics]).Select(partition => new TopicPartitionOffset(partition, Offset.Beginning)));
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
                    NUnit.Framework.Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what} ({Records.Count} records read; {Describe()})");
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
        ReadUntilAsync(ReachedEnds(), timeout, "the end of the topics");

    private static List<TopicPartition> PartitionsOf(string bootstrapServers, IReadOnlyList<string> topics)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var deadline = DateTime.UtcNow + TopicWait;
        while (true)
        {
            var found = topics.Select(topic => admin.GetMetadata(topic, TopicWait).Topics.Single())
                .Where(topic => topic.Error.Code == ErrorCode.NoError && topic.Partitions.Count > 0)
                .ToList();
            if (found.Count == topics.Count)
            {
                return [.. found.SelectMany(topic => topic.Partitions.Select(partition => new TopicPartition(topic.Topic, partition.PartitionId)))];
            }
            if (DateTime.UtcNow > deadline)
            {
                var missing = topics.Except(found.Select(topic => topic.Topic));
                throw new InvalidOperationException($"topics {string.Join(", ", missing)} still do not exist after {TopicWait.TotalSeconds:0} s");
            }
            Thread.Sleep(100);
        }
    }

    // Tells a reader that got nothing from topics that hold nothing.
    private string Describe()
    {
        var assignment = _consumer.Assignment;
        if (assignment.Count == 0)
        {
            return "no partition assigned to the reader";
        }
        var held = assignment.Sum(partition => _consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5)).High.Value);
        return $"{assignment.Count} partitions assigned, holding {held} records";
    }

    // The end of every partition as it stands now, asked once: a topic that keeps growing (watermarks) has no other end.
    private Func<IReadOnlyList<ConsumeResult<byte[], byte[]>>, bool> ReachedEnds()
    {
        var ends = _consumer.Assignment.ToDictionary(partition => partition, partition => _consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5)).High.Value);
        return _ => ends.Count > 0 && ends.All(end =>
        {
            var position = _consumer.Position(end.Key);
            return end.Value == 0 || (position != Offset.Unset && position.Value >= end.Value);
        });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
