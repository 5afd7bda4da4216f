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
    [Test]
    public async Task A_worker_without_bootstrap_servers_refuses_to_start_naming_the_setting()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OmniStream:Kafka:BootstrapServers"] = "" });
        builder.AddOmniStreamWorker();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain("OmniStream:Kafka:BootstrapServers"));
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
