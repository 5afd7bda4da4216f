using System.Diagnostics;
using Confluent.Kafka;
using static OmniStream.DevCluster.Tests.DevClusterFixture;

namespace OmniStream.DevCluster.Tests;

public class DevKafkaClusterTests
{
    [Test]
    public void The_brokers_listen_on_loopback_one_address_each()
    {
        var addresses = Cluster.BootstrapServers.Split(',');

        Assert.That(addresses, Has.Length.EqualTo(3));
        Assert.That(addresses, Has.All.StartWith("127.0.0.1:"));
    }

    [Test]
    public void A_created_topic_has_its_partitions_and_replicas()
    {
        var topic = NewTopic(partitions: 6);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Cluster.BootstrapServers }).Build();

        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single();

        Assert.That(metadata.Partitions, Has.Count.EqualTo(6));
        Assert.That(metadata.Partitions.Select(p => p.Replicas.Length), Has.All.EqualTo(3));
    }

    [Test]
    public void Creating_a_topic_twice_names_the_topic_in_the_error()
    {
        var topic = NewTopic();

        var error = Assert.Throws<KafkaException>(() => Cluster.CreateTopic(topic, 3));

        Assert.That(error!.Error.Code, Is.EqualTo(ErrorCode.TopicAlreadyExists));
        Assert.That(error.Message, Does.Contain(topic));
    }

    [Test]
    public async Task Records_produced_are_consumed_in_order_per_key()
    {
        var topic = NewTopic();
        using (var producer = Producer())
        {
            for (var i = 0; i < 50; i++)
            {
                await producer.ProduceAsync(topic, new Message<string, string> { Key = $"customer-{i % 5}", Value = i.ToString() });
            }
        }

        var records = ReadAll(topic, 50, TimeSpan.FromSeconds(20));

        Assert.That(records, Has.Count.EqualTo(50));
        foreach (var perKey in records.GroupBy(r => r.Message.Key))
        {
            var values = perKey.Select(r => int.Parse(r.Message.Value)).ToList();
            Assert.That(values, Is.Ordered, perKey.Key);
        }
    }

    [Test]
    public async Task A_broker_set_down_delays_delivery_until_it_is_up_again()
    {
        var topic = NewTopic(partitions: 1);
        using var producer = Producer(c => c.MessageTimeoutMs = 60_000);
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "warm-up" });

        Cluster.SetBrokerDown(-1);
        var pending = producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "while down" });
        var finishedWhileDown = await Task.WhenAny(pending, Task.Delay(TimeSpan.FromSeconds(1))) == pending;
        Cluster.SetBrokerUp(-1);

        Assert.That(finishedWhileDown, Is.False, "delivery must wait while every broker is down");
        Assert.That((await pending).Status, Is.EqualTo(PersistenceStatus.Persisted));
    }

    [Test]
    public async Task Injected_request_errors_reach_the_client()
    {
        var topic = NewTopic(partitions: 1);
        using var producer = Producer(c => { c.EnableIdempotence = false; c.MessageSendMaxRetries = 0; });
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "warm-up" });

        Cluster.InjectRequestErrors(KafkaApi.Produce, ErrorCode.TopicAuthorizationFailed);

        var error = await Assert.ThrowsAsync<ProduceException<string, string>>(() =>
            producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "refused" }));
        Assert.That(error!.Error.Code, Is.EqualTo(ErrorCode.TopicAuthorizationFailed));
    }

    [Test]
    public async Task Broker_latency_slows_every_answer()
    {
        var topic = NewTopic(partitions: 1);
        using var producer = Producer();
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "warm-up" });

        Cluster.SetBrokerLatency(-1, TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        try
        {
            await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "slow" });
        }
        finally
        {
            Cluster.SetBrokerLatency(-1, TimeSpan.Zero);
        }

        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290)));
    }
}
