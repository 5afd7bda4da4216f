using System.CommandLine;
using OmniStream.DevCluster;
using OmniStream.ServiceDefaults.Auth;

namespace OmniStream.Cli.Commands;

/// <summary>
/// <c>omnistream dev-cluster</c>: the embedded cluster alone, with the catalog's topics and the
/// workers' internal topics, until Ctrl+C; prints (or writes to <c>--env-file</c>) what a worker and
/// a gateway need to run beside it, and a development token.
/// </summary>
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
        var applications = ApplicationTopics.Option();
        var envFile = new Option<string?>("--env-file") { Description = "Write the worker's and the gateway's settings (brokers, token signing key) to this file" };
        var command = new Command("dev-cluster", "Run an embedded Kafka-protocol cluster on 127.0.0.1 (data in memory) until Ctrl+C") { brokers, applications, envFile };
        command.SetAction(async (parse, stop) =>
        {
            using var cluster = DevKafkaCluster.Start(parse.GetValue(brokers));
            var topics = ApplicationTopics.For(parse.GetValue(applications)!);
            await new DevClusterTopicAdmin(cluster).ApplyAsync(topics, stop);
            Console.WriteLine($"bootstrap: {cluster.BootstrapServers}");
            Console.WriteLine($"topics: {topics.Count} created (the catalog's and the internal topics of {string.Join(", ", parse.GetValue(applications)!)})");
            var setup = new DevelopmentSetup(cluster.BootstrapServers, DevelopmentCredentials.Create());
            if (parse.GetValue(envFile) is { } file)
            {
                setup.WriteEnvFile(file);
            }
            foreach (var line in setup.Instructions(parse.GetValue(envFile)))
            {
                Console.WriteLine(line);
            }
            Console.WriteLine("press Ctrl+C to stop");
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
