using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using OmniStream.Kafka.Operations.DeadLetters;

namespace OmniStream.Deployment.Tests;

/// <summary>
/// Follows a dead-letter topic from its beginning as it is written (the embedded brokers keep only
/// each partition's latest 5 MB): keeps where each letter came from and whether it says why.
/// </summary>
internal sealed class DeadLetterFollower : IDisposable
{
    private readonly ConcurrentDictionary<(string Topic, int Partition, long Offset), bool> _sources = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _letters;

    public DeadLetterFollower(string bootstrapServers, string topic, int partitions)
    {
        var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "fuzz-follower-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            FetchWaitMaxMs = 20,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        _thread = new Thread(() => Follow(consumer)) { IsBackground = true, Name = "dead-letter-follower" };
        _thread.Start();
    }

    /// <summary>Dead letters read (duplicates of replayed transactions included).</summary>
    public long Letters => Interlocked.Read(ref _letters);

    /// <summary>Whether the record at <paramref name="source"/> was dead-lettered, and with a reason.</summary>
    public bool HasReasonFor(TopicPartitionOffset source) =>
        _sources.TryGetValue((source.Topic, source.Partition.Value, source.Offset.Value), out var reasoned) && reasoned;

    private void Follow(IConsumer<byte[], byte[]> consumer)
    {
        using (consumer)
        {
            while (!_stop.IsCancellationRequested)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { IsPartitionEOF: false } record)
                {
                    continue;
                }
                Interlocked.Increment(ref _letters);
                string? Read(string name) => record.Message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
                if (Read(DeadLetterHeaders.SourceTopic) is { } topic
                    && int.TryParse(Read(DeadLetterHeaders.SourcePartition), CultureInfo.InvariantCulture, out var partition)
                    && long.TryParse(Read(DeadLetterHeaders.SourceOffset), CultureInfo.InvariantCulture, out var offset))
                {
                    _sources[(topic, partition, offset)] = !string.IsNullOrWhiteSpace(Read(DeadLetterHeaders.ErrorClass)) && !string.IsNullOrWhiteSpace(Read(DeadLetterHeaders.ErrorMessage));
                }
            }
            consumer.Close();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }
}
