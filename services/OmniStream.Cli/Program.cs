using System.CommandLine;
using OmniStream.Cli.Commands;

var root = new RootCommand("OmniStream: real-time omnichannel customer state and next best actions on Kafka")
{
    BenchCommand.Create(),
    DeadLetterCommand.Create(),
    DemoCommand.Create(),
    DevClusterCommand.Create(),
    SimulateCommand.Create(),
    TopicsCommand.Create(),
};
// Ctrl+C cancels the command's token; wait for its orderly shutdown (clients, then the cluster).
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) };
return await root.Parse(args).InvokeAsync(invocation);
