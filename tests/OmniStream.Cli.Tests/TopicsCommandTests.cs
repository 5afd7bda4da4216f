using System.Text.Json;
using OmniStream.Channels.Topics;
using OmniStream.Worker.Topology;
using YamlDotNet.RepresentationModel;

namespace OmniStream.Cli.Tests;

/// <summary><c>omnistream topics list</c> for infrastructure as code: every topic a deployment needs, as JSON or as Strimzi manifests.</summary>
public class TopicsCommandTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Topics_list_as_json_gives_every_topic_of_the_catalog_and_the_application_with_the_configuration_to_create_it()
    {
        using var cli = CliProcess.Start("topics", "list", "--json", "--application-id", "shop-worker", "--partitions", "12");
        Assert.That(await cli.WaitForExitAsync(Deadline), Is.Zero, cli.Stderr);

        var topics = cli.Stdout.Select(line => JsonDocument.Parse(line).RootElement).ToDictionary(t => t.GetProperty("name").GetString()!);
        var expected = TopicCatalog.All.Concat(WorkerTopology.InternalTopics("shop-worker")).Select(t => t.Name);
        Assert.That(topics.Keys, Is.EquivalentTo(expected));
        var changelog = topics["shop-worker-customers-changelog"].GetProperty("config");
        Assert.That(changelog.GetProperty("cleanup.policy").GetString(), Is.EqualTo("compact"));
        Assert.That(changelog.GetProperty("max.compaction.lag.ms").GetString(), Is.EqualTo("604800000"));
        Assert.That(topics["omni.deadletter"].GetProperty("config").GetProperty("retention.ms").GetString(), Is.EqualTo("2592000000"));
        Assert.That(topics["shop-worker-customers-changelog"].GetProperty("partitions").GetInt32(), Is.EqualTo(12), "the application's count");
        Assert.That(topics["shop-worker-identity-repartition"].GetProperty("partitions").GetInt32(), Is.EqualTo(12));
        Assert.That(topics["shop-worker-ingest-positions-changelog"].GetProperty("partitions").GetInt32(), Is.EqualTo(6), "as many as the channels' topics ingest reads");
    }

    [Test]
    public async Task Topics_list_as_strimzi_gives_one_kafka_topic_manifest_per_topic()
    {
        using var cli = CliProcess.Start("topics", "list", "--format", "strimzi", "--strimzi-cluster", "prod", "--replication-factor", "3");
        Assert.That(await cli.WaitForExitAsync(Deadline), Is.Zero, cli.Stderr);

        var yaml = new YamlStream();
        yaml.Load(new StringReader(string.Join('\n', cli.Stdout)));
        var manifests = yaml.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
        Assert.That(manifests, Has.Count.EqualTo(TopicCatalog.All.Count + WorkerTopology.InternalTopics("omnistream-worker").Count));
        Assert.Multiple(() =>
        {
            foreach (var manifest in manifests)
            {
                var name = Scalar(manifest, "metadata", "name");
                Assert.That(Scalar(manifest, "kind"), Is.EqualTo("KafkaTopic"), name);
                Assert.That(Scalar(manifest, "spec", "topicName"), Is.EqualTo(name));
                Assert.That(Scalar(manifest, "spec", "replicas"), Is.EqualTo("3"), name);
                Assert.That(Scalar(manifest, "metadata", "labels", "strimzi.io/cluster"), Is.EqualTo("prod"), name);
                Assert.That(Scalar(manifest, "spec", "config", "cleanup.policy"), Is.AnyOf("compact", "delete"), name);
            }
        });
    }

    private static string Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            current = ((YamlMappingNode)current).Children[new YamlScalarNode(key)];
        }
        return ((YamlScalarNode)current).Value!;
    }
}
