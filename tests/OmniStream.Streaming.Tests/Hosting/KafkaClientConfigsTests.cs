using Confluent.Kafka;
using OmniStream.Kafka;

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
    public void Stage_producers_wait_longer_for_a_batch_unless_the_user_says_otherwise()
    {
        var options = new KafkaOptions { BootstrapServers = "b:9092" };

        Assert.That(KafkaClientConfigs.StageProducer(options, "s").LingerMs, Is.EqualTo(50));
        Assert.That(KafkaClientConfigs.Producer(options, "p").LingerMs, Is.EqualTo(10));
        options.Producer["linger.ms"] = "5";
        Assert.That(KafkaClientConfigs.StageProducer(options, "s").LingerMs, Is.EqualTo(5));
    }

    [Test]
    public void Stage_producers_report_deliveries_without_copying_records_back_others_in_full()
    {
        var options = new KafkaOptions { BootstrapServers = "b:9092" };

        Assert.That(KafkaClientConfigs.StageProducer(options, "s").DeliveryReportFields, Is.EqualTo("none"));
        Assert.That(KafkaClientConfigs.Producer(options, "p").DeliveryReportFields, Is.EqualTo("all"));
        options.Producer["dotnet.producer.delivery.report.fields"] = "key";
        Assert.That(KafkaClientConfigs.StageProducer(options, "s").DeliveryReportFields, Is.EqualTo("key"));
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

    [Test]
    public void A_consumer_is_a_static_member_only_when_given_an_instance_id()
    {
        var kafka = new KafkaOptions { BootstrapServers = "b:9092" };

        Assert.That(KafkaClientConfigs.Consumer(kafka, "group", "c").GroupInstanceId, Is.Null);
        Assert.That(KafkaClientConfigs.Consumer(kafka, "group", "c", "app-customers-worker-0").GroupInstanceId, Is.EqualTo("app-customers-worker-0"));
    }
}
