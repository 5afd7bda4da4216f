namespace OmniStream.Worker.Tests;

/// <summary>Scenario tests that share one worker for their whole fixture, each test with customers of its own.</summary>
public abstract class SharedWorkerTests
{
    /// <summary>How long a test waits for what it expects.</summary>
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>The fixture's worker (cart reminders after 30 minutes).</summary>
    private protected WorkerHarness Worker { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartWorker() => Worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromMinutes(30));

    [OneTimeTearDown]
    public async Task StopWorker() => await Worker.DisposeAsync();

    /// <summary>A customer id no other test uses.</summary>
    protected static string Unique(string name) => WorkerHarness.Unique(name);
}
