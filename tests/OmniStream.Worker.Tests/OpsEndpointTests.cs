using System.Net;
using System.Text.Json;
using OmniStream.Streaming.Tasks;
using OmniStream.Testing;
using OmniStream.Worker.Api;

namespace OmniStream.Worker.Tests;

/// <summary>What ops read from a worker: its health and its metrics.</summary>
public class OpsEndpointTests : SharedWorkerTests
{
    [Test]
    public async Task A_running_worker_answers_up_with_each_stage_and_the_partitions_it_owns()
    {
        JsonElement body = default;
        await Wait.UntilAsync(async () =>
        {
            (var status, body) = await Worker.Api.GetAsync("/health");
            return status == HttpStatusCode.OK;
        }, Deadline, "GET /health to answer 200");

        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("up"));
        var stages = body.GetProperty("stages").EnumerateArray().ToList();
        Assert.That(stages.Select(s => s.GetProperty("stage").GetString()), Is.EquivalentTo(new[] { "ingest", "identity", "customers", "kpis" }));
        foreach (var stage in stages)
        {
            Assert.That(stage.GetProperty("status").GetString(), Is.EqualTo("Running"), stage.ToString());
            Assert.That(stage.GetProperty("assignedPartitions").GetInt32(), Is.EqualTo(stage.GetProperty("inputPartitions").GetInt32()).And.GreaterThan(0),
                "the only instance owns every partition");
        }
    }

    [Test]
    public async Task Prometheus_scrapes_the_stream_metrics_with_each_partitions_lag()
    {
        var text = "";
        await Wait.UntilAsync(async () =>
        {
            text = await Worker.Api.GetTextAsync("/metrics");
            return text.Contains("omnistream_streaming_consumer_lag", StringComparison.Ordinal);
        }, Deadline, "the consumer lag gauge on GET /metrics");

        Assert.That(text, Does.Contain("partition=\""), "lag is reported per partition");
        Assert.That(text, Does.Contain("# TYPE omnistream_streaming_consumer_lag"));
    }

    [Test]
    public async Task On_Apache_Kafka_each_stage_commits_its_consumer_group_offsets_for_standard_lag_tools()
    {
        if (KafkaFixture.Cluster.Embedded is not null)
        {
            Assert.Ignore("the embedded brokers keep no offsets committed in transactions (librdkafka's mock cluster); runs on Testcontainers or OMNISTREAM_KAFKA_BOOTSTRAP");
        }
        var written = await Worker.Publisher.PublishAsync(new OmniStream.Testing.Contracts.Interactions(Unique("grouped"), DateTime.UtcNow).PageViewed(OmniStream.Schemas.Contracts.Channel.WEB));
        using var admin = new Confluent.Kafka.AdminClientBuilder(new Confluent.Kafka.AdminClientConfig { BootstrapServers = KafkaFixture.Cluster.BootstrapServers }).Build();
        var group = OmniStream.Streaming.Tasks.StreamEngine.GroupId(Worker.ApplicationId, OmniStream.Worker.Topology.WorkerTopology.IngestStage);
        long committed = -1;
        await Wait.UntilAsync(async () =>
        {
            var answer = await admin.ListConsumerGroupOffsetsAsync([new Confluent.Kafka.ConsumerGroupTopicPartitions(group, [written.TopicPartition])]);
            committed = answer[0].Partitions[0].Offset.Value;
            return committed > written.Offset.Value;
        }, Deadline, $"group {group} to commit past offset {written.Offset.Value} of {written.TopicPartition}");

        Assert.That(committed, Is.GreaterThan(written.Offset.Value), "the next offset to read, as kafka-consumer-groups.sh shows it");
    }

    [Test]
    public void An_instance_is_down_when_a_stage_failed_or_has_not_started_yet()
    {
        StageHealth Stage(string name, StageStatus status, string? failure = null) => new(name, status, 12, 12, 0, 0, failure);

        Assert.That(WorkerHealth.Of([Stage("identity", StageStatus.Running), Stage("customers", StageStatus.Running)]).Status, Is.EqualTo("up"));
        Assert.That(WorkerHealth.Of([Stage("identity", StageStatus.Running), Stage("customers", StageStatus.Failed, "KafkaException: Fenced")]).Status, Is.EqualTo("down"));
        Assert.That(WorkerHealth.Of([Stage("identity", StageStatus.Starting)]).Status, Is.EqualTo("down"));
        Assert.That(WorkerHealth.Of([]).Status, Is.EqualTo("down"), "a worker without stages serves nothing");
    }
}
