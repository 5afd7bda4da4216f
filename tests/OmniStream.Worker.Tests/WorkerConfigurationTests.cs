using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OmniStream.Decisions.Policies;
using OmniStream.Worker.Definitions;
using OmniStream.Worker.Hosting;

namespace OmniStream.Worker.Tests;

public class WorkerConfigurationTests
{
    [TestCase("OmniStream:Kafka:BootstrapServers", "", "OmniStream:Kafka:BootstrapServers", TestName = "A worker without bootstrap servers refuses to start naming the setting")]
    [TestCase("OmniStream:Stream:Threads", "0", "OmniStream:Stream:Threads must be between 1 and 64", TestName = "A worker with no threads per stage refuses to start naming the setting")]
    [TestCase("OmniStream:Stream:StageThreads:customers", "65", "OmniStream:Stream:StageThreads:customers must be between 1 and 64 (it is 65)", TestName = "A worker with too many threads for a stage refuses to start naming the stage")]
    public async Task A_worker_with_a_setting_out_of_range_refuses_to_start_naming_it(string setting, string value, string message)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OmniStream:Kafka:BootstrapServers"] = "localhost:9092", [setting] = value });
        builder.AddOmniStreamWorker();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain(message));
    }

    [Test]
    public void A_policy_file_that_does_not_validate_stops_the_worker_naming_the_file_and_the_line()
    {
        var file = Path.Combine(Path.GetTempPath(), $"policies-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "moments:\n  cart_idle:\n    on: CartUpdated\n    after: soon\n    actions: [cart_reminder]\n");
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["OmniStream:Kafka:BootstrapServers"] = "127.0.0.1:1",
                ["OmniStream:Policies:File"] = file,
            });
            builder.AddOmniStreamWorker();
            using var host = builder.Build();

            var error = Assert.Throws<PolicyFileException>(() => host.Services.GetRequiredService<PolicyCatalog>())!;

            Assert.That(error.Message, Does.StartWith($"{file} line 4").And.Contain("'soon' is not a duration"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
