using System.Text.Json;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Processes;

namespace OmniStream.Worker.Tests;

/// <summary>The real Prometheus server scrapes a running worker: the lag and latency series the alerts and dashboards use are there.</summary>
public class PrometheusScrapeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Prometheus_reads_the_lag_and_latency_series_of_a_running_worker()
    {
        if (!PrometheusServer.IsInstalled)
        {
            Assert.Ignore($"no {PrometheusServer.Executable} (apt-get install prometheus; .ci/run installs it)");
        }
        await using var worker = await WorkerHarness.StartAsync(TimeSpan.FromMinutes(30));
        // A detractor's answer is decided at once: a trigger-to-action latency, and outputs for the other histograms.
        await worker.Publisher.PublishAsync(new Interactions(WorkerHarness.Unique("scraped")).SurveyAnswered(Channel.WEB, nps: 1));
        using var prometheus = PrometheusServer.Start("omnistream-worker", worker.Api.BaseAddress.Authority);

        IReadOnlyList<JsonElement> lag = [], latency = [], stages = [];
        await Wait.UntilAsync(async () =>
        {
            lag = await prometheus.QueryAsync("max by (topic) (omnistream_streaming_consumer_lag_seconds)");
            latency = await prometheus.QueryAsync("histogram_quantile(0.99, sum by (le) (omnistream_decisions_trigger_to_action_milliseconds_bucket))");
            stages = await prometheus.QueryAsync("omnistream_streaming_stage_running");
            return lag.Count > 0 && latency.Count > 0 && stages.Count == 4;
        }, Deadline, "the lag, latency and stage series through Prometheus' query API");

        Assert.That(lag.Select(s => s.GetProperty("metric").GetProperty("topic").GetString()), Is.All.Not.Empty);
        Assert.That(double.Parse(latency[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0));
        Assert.That(stages.Select(s => s.GetProperty("value")[1].GetString()), Is.All.EqualTo("1"));
        Assert.That(stages.Select(s => s.GetProperty("metric").GetProperty("job").GetString()), Is.All.EqualTo("omnistream-worker"));
    }
}
