using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Customers;
using OmniStream.Worker.Identity;
using OmniStream.Worker.Ingest;
using OmniStream.Worker.Kpis;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Hosting;

/// <summary>The worker's four stages, in the order they feed each other (<see cref="WorkerTopology"/>).</summary>
/// <param name="Ingest">Re-keys what channels send by the id to resolve.</param>
/// <param name="Identity">Resolves whose event each one is.</param>
/// <param name="Customers">Keeps each customer's state and decides.</param>
/// <param name="Kpis">Sums the KPI counts.</param>
public sealed record WorkerStages(IngestHandler Ingest, IdentityHandler Identity, CustomerHandler Customers, KpiHandler Kpis)
{
    /// <summary>The stages' names, in order.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [WorkerTopology.IngestStage, WorkerTopology.IdentityStage, WorkerTopology.CustomersStage, WorkerTopology.KpisStage];

    /// <summary>The four handlers, in order.</summary>
    public IReadOnlyList<IStreamHandler> All => [Ingest, Identity, Customers, Kpis];

    /// <summary>
    /// The stages built on their own, with no host and no Kafka client (for the stage test driver):
    /// configured by <paramref name="settings"/> (the worker's settings, e.g. <c>OmniStream:Policies:File</c>),
    /// reading <paramref name="clock"/>, logging through <paramref name="logging"/>'s providers (none by default),
    /// with the services <paramref name="add"/> adds (e.g. an <see cref="Decisions.IDecisionObserver"/>).
    /// Resolve <see cref="WorkerStages"/> from the provider; dispose of it after.
    /// </summary>
    public static ServiceProvider Build(IEnumerable<KeyValuePair<string, string?>> settings, TimeProvider clock, Action<ILoggingBuilder>? logging = null,
        Action<IServiceCollection>? add = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging(logging ?? (_ => { })).AddSingleton(clock).AddSingleton<IConfiguration>(configuration);
        services.AddWorkerStages(configuration);
        add?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>The handler of stage <paramref name="stage"/>.</summary>
    public IStreamHandler Of(string stage) => All.FirstOrDefault(h => h.Stage == stage) ?? throw new ArgumentException($"no stage '{stage}'", nameof(stage));
}
