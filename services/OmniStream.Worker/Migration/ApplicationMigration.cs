using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using OmniStream.Customers.Kpis;
using OmniStream.Decisions.Learning;
using OmniStream.Kafka;
using OmniStream.Kafka.Operations.Topics;
using OmniStream.Streaming.Queries;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Decisions;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Migration;

/// <summary>
/// Moves a stopped application's state to a new application id whose topics have another partition count: every store's
/// changelog (customers, identity links, timers, journeys, KPI windows) is copied record by record, in order, each to the
/// partition its owning key has under the new count (<see cref="StoreOwners"/>; segments' members are left for the new
/// application to count again); the learning counts are split by share
/// (<see cref="LearningCountsSplit"/>); stage ingest's positions in the channels' topics are kept, so that the new
/// application reads on where the old one stopped; and what the old stages had not yet read between them is carried into
/// the new topics between stages. The new application's workers then restore their stores from those changelogs.
/// </summary>
public sealed class ApplicationMigration(KafkaOptions kafka, Action<string> say)
{
    private const string ClientId = "omnistream-migrate";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Migrates <paramref name="from"/> into <paramref name="to"/>, whose topics exist and hold nothing.</summary>
    /// <exception cref="MigrationRefusedException">The migration would lose or mix state; nothing was written.</exception>
    public async Task<MigrationReport> RunAsync(string from, string to, CancellationToken cancellationToken)
    {
        if (from == to)
        {
            throw new MigrationRefusedException("the application to migrate into must be a new application id, not the one migrated");
        }
        var existing = ClusterMetadata.TopicPartitions(kafka, Timeout);
        var (oldCount, newCount) = (PartitionsOf(existing, from), PartitionsOf(existing, to));
        await ThrowIfRunningAsync(from).ConfigureAwait(false);
        ThrowIfHoldsRecords(to, newCount);

        var report = new MigrationReport(from, oldCount, to, newCount);
        var failure = (Error?)null;
        using var producer = new ProducerBuilder<byte[], byte[]?>(KafkaClientConfigs.Producer(kafka, ClientId)).SetLogHandler((_, _) => { }).Build();
        void Send(string topic, int partition, Message<byte[], byte[]?> message) =>
            producer.Produce(new TopicPartition(topic, partition), message, delivery => failure ??= delivery.Error.IsError ? delivery.Error : null);

        foreach (var store in WorkerTopology.RepartitionedStages.SelectMany(stage => WorkerTopology.StageStores[stage]))
        {
            report.Records[store] = store == WorkerTopology.ActionStatsStore
                ? await SplitLearningCountsAsync(from, to, oldCount, newCount, Send, cancellationToken).ConfigureAwait(false)
                : await CopyChangelogAsync(from, to, store, key => StoreOwners.PartitionsOf(store, key, newCount), Send, cancellationToken).ConfigureAwait(false);
            say($"{store}: {report.Records[store]:N0} record(s) copied");
        }
        var ingestPositions = StreamEngine.PositionsStore(WorkerTopology.IngestStage);
        report.Records[ingestPositions] = await CopyChangelogAsync(from, to, ingestPositions, null, Send, cancellationToken).ConfigureAwait(false);
        foreach (var stage in WorkerTopology.RepartitionedStages)
        {
            report.Pending[stage] = await CarryPendingAsync(from, to, stage, newCount, Send, cancellationToken).ConfigureAwait(false);
            say($"stage {stage}: {report.Pending[stage]:N0} record(s) it had not read carried over");
        }
        producer.Flush(cancellationToken);
        return failure is { } error
            ? throw new KafkaException(error)
            : report;
    }

    // The application's partition count (its customers stage's input), after checking that all its topics exist alike.
    private static int PartitionsOf(Dictionary<string, int> existing, string application)
    {
        if (!existing.TryGetValue(WorkerTopology.CustomersInput(application), out var count))
        {
            throw new MigrationRefusedException($"application {application} has no topic {WorkerTopology.CustomersInput(application)}: "
                + $"create its topics with 'omnistream topics apply --application-id {application} --partitions N'");
        }
        var wrong = WorkerTopology.InternalTopics(application, count)
            .Where(t => !existing.TryGetValue(t.Name, out var partitions) || partitions != t.Partitions)
            .Select(t => existing.TryGetValue(t.Name, out var partitions) ? $"{t.Name} has {partitions} partitions, not {t.Partitions}" : $"{t.Name} is missing").ToList();
        return wrong.Count == 0 ? count
            : throw new MigrationRefusedException($"application {application}'s topics are not those of {count} partitions: {string.Join("; ", wrong)}");
    }

    // Reading the state of running workers would miss what they write meanwhile. (Brokers that cannot describe groups, such as
    // the embedded cluster, leave it to the operator.)
    private async Task ThrowIfRunningAsync(string application)
    {
        var groups = WorkerTopology.StageInputs(application).Keys.Select(stage => StreamEngine.GroupId(application, stage)).ToList();
        using var admin = new AdminClientBuilder(KafkaClientConfigs.Admin(kafka)).SetLogHandler((_, _) => { }).Build();
        DescribeConsumerGroupsResult described;
        try
        {
            described = await admin.DescribeConsumerGroupsAsync(groups, new DescribeConsumerGroupsOptions { RequestTimeout = TimeSpan.FromSeconds(5) }).ConfigureAwait(false);
        }
        catch (KafkaException e)
        {
            say($"could not check that {application}'s workers are stopped ({e.Error.Reason}): make sure they are");
            return;
        }
        if (described.ConsumerGroupDescriptions.FirstOrDefault(g => g.Members.Count > 0) is { } running)
        {
            throw new MigrationRefusedException($"{application}'s workers still run (group {running.GroupId} has {running.Members.Count} member(s)): stop them first");
        }
    }

    private void ThrowIfHoldsRecords(string application, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(KafkaClientConfigs.Consumer(kafka, ClientId, ClientId)).Build();
        var used = WorkerTopology.InternalTopics(application, partitions).Where(t => t.Name != InstanceDirectory.Spec(application).Name)
            .SelectMany(t => Enumerable.Range(0, t.Partitions).Select(p => new TopicPartition(t.Name, p)))
            .FirstOrDefault(p => consumer.QueryWatermarkOffsets(p, Timeout) is var ends && ends.High.Value > ends.Low.Value);
        if (used is not null)
        {
            throw new MigrationRefusedException($"application {application} already holds records ({used.Topic} [{used.Partition.Value}]): migrate into a new application id");
        }
    }

    // Every record of the old changelog, in order, to the partition it belongs to (null: the same partition).
    private async Task<long> CopyChangelogAsync(string from, string to, string store, Func<byte[], IEnumerable<int>>? partitionsOf,
        Action<string, int, Message<byte[], byte[]?>> send, CancellationToken cancellationToken)
    {
        var target = ChangelogTopics.For(to, store);
        long copied = 0;
        await TopicToEnd.ReadAsync(kafka, ChangelogTopics.For(from, store), ClientId, record =>
        {
            foreach (var partition in partitionsOf?.Invoke(record.Message.Key) ?? [record.Partition.Value])
            {
                send(target, partition, Copy(record.Message));
                copied++;
            }
            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        return copied;
    }

    private async Task<long> SplitLearningCountsAsync(string from, string to, int oldCount, int newCount,
        Action<string, int, Message<byte[], byte[]?>> send, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<(int, string), ArmStats>();
        await TopicToEnd.ReadAsync(kafka, ChangelogTopics.For(from, WorkerTopology.ActionStatsStore), ClientId, record =>
        {
            var arm = (record.Partition.Value, Encoding.UTF8.GetString(record.Message.Key));
            if (record.Message.Value is { } value)
            {
                latest[arm] = LearningCounts.Decode(value);
            }
            else
            {
                latest.Remove(arm);
            }
            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        var split = LearningCountsSplit.Split(latest, oldCount, newCount);
        foreach (var ((partition, arm), stats) in split)
        {
            send(ChangelogTopics.For(to, WorkerTopology.ActionStatsStore), partition,
                new Message<byte[], byte[]?> { Key = Encoding.UTF8.GetBytes(arm), Value = LearningCounts.Encode(stats) });
        }
        return split.Count;
    }

    // The records of the stage's input past the position its tasks committed (the watermarks aside: the new stages send their own).
    private async Task<long> CarryPendingAsync(string from, string to, string stage, int newCount,
        Action<string, int, Message<byte[], byte[]?>> send, CancellationToken cancellationToken)
    {
        var (input, target) = (WorkerTopology.StageInputs(from)[stage][0], WorkerTopology.StageInputs(to)[stage][0]);
        var positions = new Dictionary<int, long>();
        await TopicToEnd.ReadAsync(kafka, ChangelogTopics.For(from, StreamEngine.PositionsStore(stage)), ClientId, record =>
        {
            if (Encoding.UTF8.GetString(record.Message.Key) == input && record.Message.Value is { Length: sizeof(long) } next)
            {
                positions[record.Partition.Value] = BitConverter.ToInt64(next);
            }
            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        var partitions = ClusterMetadata.TopicPartitions(kafka, Timeout)[input];
        var starts = Enumerable.Range(0, partitions)
            .Select(p => new TopicPartitionOffset(input, p, positions.TryGetValue(p, out var next) ? new Offset(next) : Offset.Beginning)).ToList();
        long carried = 0;
        await TopicToEnd.ReadAsync(kafka, starts, ClientId, record =>
        {
            // Segments' members still on their way to stage kpis are in the customers' states already: the census counts them.
            if (!StreamEngine.IsWatermark(record.Message.Headers) && !(stage == WorkerTopology.KpisStage && SegmentMembers.IsKey(record.Message.Key)))
            {
                send(target, record.Message.Key is { Length: > 0 } key ? KeyPartitioner.Partition(key, newCount) : 0, Copy(record.Message));
                carried++;
            }
            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        return carried;
    }

    private static Message<byte[], byte[]?> Copy(Message<byte[], byte[]> message) =>
        new() { Key = message.Key, Value = message.Value, Headers = message.Headers, Timestamp = message.Timestamp };
}

/// <summary>What a migration moved.</summary>
/// <param name="From">The migrated application.</param>
/// <param name="FromPartitions">Its partition count.</param>
/// <param name="To">The application migrated into.</param>
/// <param name="ToPartitions">Its partition count.</param>
public sealed record MigrationReport(string From, int FromPartitions, string To, int ToPartitions)
{
    /// <summary>Records copied per store (changelog).</summary>
    public Dictionary<string, long> Records { get; } = [];

    /// <summary>Records a stage had not read yet, carried into the new application's topic between stages, per stage.</summary>
    public Dictionary<string, long> Pending { get; } = [];
}
