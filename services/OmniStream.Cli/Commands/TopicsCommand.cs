using System.CommandLine;
using OmniStream.Channels.Topics;
using OmniStream.Kafka.Operations.Topics;
using OmniStream.Kafka;

namespace OmniStream.Cli.Commands;

/// <summary><c>omnistream topics</c>: list the catalog, or create its topics on a cluster.</summary>
internal static class TopicsCommand
{
    private const string BootstrapVariable = "OMNISTREAM__KAFKA__BOOTSTRAPSERVERS";

    /// <summary>The --bootstrap-servers option, defaulting to the environment variable the services use.</summary>
    public static Option<string> BootstrapOption() => new("--bootstrap-servers")
    {
        Description = $"Brokers, host:port,... (default: ${BootstrapVariable})",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(BootstrapVariable) ?? "",
    };

    /// <summary>The brokers, or null after telling the user how to name them.</summary>
    public static string? RequireBootstrap(string? servers, string command)
    {
        if (!string.IsNullOrWhiteSpace(servers))
        {
            return servers;
        }
        Console.Error.WriteLine($"{command}: no brokers; pass --bootstrap-servers or set {BootstrapVariable}");
        return null;
    }

    public static Command Create()
    {
        var bootstrap = BootstrapOption();
        var replication = new Option<short>("--replication-factor") { Description = "Replicas per partition (-1: broker default)", DefaultValueFactory = _ => -1 };

        var applications = ApplicationTopics.Option();
        var partitions = ApplicationTopics.PartitionsOption();
        var applyJson = CliJson.Option("Each topic's outcome (topic, outcome: ok, created or differs, partitions, expected)");
        var apply = new Command("apply", "Create the missing topics of the catalog and of the workers' applications; report those that differ")
        {
            bootstrap, replication, applications, partitions, applyJson,
        };
        apply.SetAction(async (parse, stop) =>
        {
            if (RequireBootstrap(parse.GetValue(bootstrap), "topics apply") is not { } servers)
            {
                return 2;
            }
            var report = await new KafkaTopicAdmin(ClusterSettings.Read(servers), parse.GetValue(replication))
                .ApplyAsync(ApplicationTopics.For(parse.GetValue(applications)!, parse.GetValue(partitions)), stop);
            foreach (var topic in report)
            {
                if (parse.GetValue(applyJson))
                {
                    CliJson.WriteLine(new { topic = topic.Topic, outcome = topic.Outcome.ToString().ToLowerInvariant(), partitions = topic.Partitions, expected = topic.Expected });
                }
                else
                {
                    Console.WriteLine(topic);
                }
            }
            return report.Any(topic => topic.Outcome == TopicOutcome.Differs) ? CliExit.CheckFailed : CliExit.Ok;
        });

        var format = new Option<string>("--format") { Description = "markdown (a table), json (one object per line) or strimzi (KafkaTopic manifests)", DefaultValueFactory = _ => "markdown" };
        format.AcceptOnlyFromAmong(TopicListing.Formats);
        var strimziCluster = new Option<string>("--strimzi-cluster") { Description = "The Kafka cluster the KafkaTopic manifests name (label strimzi.io/cluster)", DefaultValueFactory = _ => "my-cluster" };
        var listReplication = new Option<short>("--replication-factor") { Description = "Replicas per partition in the KafkaTopic manifests", DefaultValueFactory = _ => 3 };
        var listApplications = ApplicationTopics.Option();
        var listPartitions = ApplicationTopics.PartitionsOption();
        var listJson = CliJson.Option("The topics (the same as --format json)");
        var list = new Command("list", "Print the topics of the catalog and of the workers' applications: a table, JSON, or Strimzi KafkaTopic manifests")
        {
            format, strimziCluster, listReplication, listApplications, listPartitions, listJson,
        };
        list.SetAction(parse =>
        {
            Console.Write(TopicListing.Write(ApplicationTopics.For(parse.GetValue(listApplications)!, parse.GetValue(listPartitions)),
                parse.GetValue(listJson) ? "json" : parse.GetValue(format)!,
                parse.GetValue(strimziCluster)!, parse.GetValue(listReplication)));
            return 0;
        });

        return new Command("topics", "The topics OmniStream uses") { apply, list };
    }

}
