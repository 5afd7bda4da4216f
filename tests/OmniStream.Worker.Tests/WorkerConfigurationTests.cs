using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
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
    public async Task A_bad_idle_time_is_refused_naming_the_setting()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OmniStream:Kafka:BootstrapServers"] = "127.0.0.1:1",
            ["OmniStream:CartReminder:IdleTime"] = "-00:01:00",
        });
        builder.AddOmniStreamWorker();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain("OmniStream:CartReminder:IdleTime"));
    }
}
