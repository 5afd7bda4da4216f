using System.CommandLine;
using OmniStream.ServiceDefaults.Hosting;
using OmniStream.Cli.Commands;

var root = new RootCommand("OmniStream: real-time omnichannel customer state and next best actions on Kafka")
{
    BenchCommand.Create(),
    DeadLetterCommand.Create(),
    DemoCommand.Create(),
    DevClusterCommand.Create(),
    LagCommand.Create(),
    MigrateCommand.Create(),
    DefinitionsCommand.Policies(),
    SchemasCommand.Create(),
    DefinitionsCommand.Segments(),
    SimulateCommand.Create(),
    TokenCommand.Create(),
    TopicsCommand.Create(),
};
// Ctrl+C and SIGTERM cancel the command's token; wait for its orderly shutdown (clients, then the cluster).
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30), EnableDefaultExceptionHandler = false };
try
{
    return await root.Parse(args).InvokeAsync(invocation);
}
catch (Exception error)
{
    // One line that names the cause, not a stack trace; the command's clients were disposed on the way out.
    var cause = ServiceHost.Cause(error);
    await Console.Error.WriteLineAsync($"omnistream: {ServiceHost.Describe(cause)}");
    return ServiceHost.IsMisconfiguration(cause) ? ServiceHost.Misconfigured : ServiceHost.Failed;
}
