using System.CommandLine;
using OmniStream.Channels.Topics;
using OmniStream.DevCluster;

namespace OmniStream.Cli.Commands;

/// <summary><c>omnistream dev-cluster</c>: the embedded cluster alone, with the catalog's topics, until Ctrl+C.</summary>
internal static class DevClusterCommand
{
    public static Command Create()
    {
        var brokers = new Option<int>("--brokers") { Description = "How many brokers", DefaultValueFactory = _ => 3 };
        brokers.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 9)
            {
                r.AddError("--brokers must be between 1 and 9");
            }
        });
        var command = new Command("dev-cluster", "Run an embedded Kafka-protocol cluster on 127.0.0.1 (data in memory) until Ctrl+C") { brokers };
        command.SetAction(async (parse, stop) =>
        {
            using var cluster = DevKafkaCluster.Start(parse.GetValue(brokers));
            await new DevClusterTopicAdmin(cluster).ApplyAsync(TopicCatalog.All, stop);
            Console.WriteLine($"bootstrap: {cluster.BootstrapServers}");
            Console.WriteLine($"topics: {TopicCatalog.All.Count} created; press Ctrl+C to stop");
            try
            {
                await Task.Delay(Timeout.Infinite, stop);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("dev-cluster: stopped");
            }
            return 0;
        });
        return command;
    }
}
