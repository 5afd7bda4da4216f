using Confluent.Kafka;
using OmniStream.Streaming.Hosting;

namespace OmniStream.Streaming.Tests.Hosting;

public class KafkaClientConfigsTests
{
    [Test]
    public void Producers_are_idempotent_and_user_settings_win()
    {
        var options = new KafkaOptions { BootstrapServers = "b:9092" };
        options.Producer["linger.ms"] = "20";

        var config = KafkaClientConfigs.Producer(options, "p");

        Assert.That(config.EnableIdempotence, Is.True);
        Assert.That(config.Acks, Is.EqualTo(Acks.All));
        Assert.That(config.LingerMs, Is.EqualTo(20));
    }

    [Test]
    public void Consumers_read_committed_and_commit_explicitly()
    {
        var config = KafkaClientConfigs.Consumer(new KafkaOptions { BootstrapServers = "b:9092" }, "group", "c");

        Assert.That(config.IsolationLevel, Is.EqualTo(IsolationLevel.ReadCommitted));
        Assert.That(config.EnableAutoCommit, Is.False);
        Assert.That(config.PartitionAssignmentStrategy, Is.EqualTo(PartitionAssignmentStrategy.CooperativeSticky));
        Assert.That(config.GroupId, Is.EqualTo("group"));
    }
}
