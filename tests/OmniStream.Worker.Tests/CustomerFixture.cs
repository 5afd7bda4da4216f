using OmniStream.Testing.Logging;

namespace OmniStream.Worker.Tests;

/// <summary>A fixture's own worker, its logs captured, and a customer it has seen once on the web, whose view it answers.</summary>
public abstract class CustomerFixture(string name)
{
    private protected WorkerHarness Worker { get; private set; } = null!;

    private protected CapturedLogs Logs { get; } = new();

    private protected string Customer { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartWorkerAsync() => (Worker, Customer) = await WorkerHarness.StartWithCustomerAsync(name, Logs);

    [OneTimeTearDown]
    public async Task StopWorkerAsync() => await Worker.DisposeAsync();
}
