using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using OmniStream.Channels.Publishing;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.Testing;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Http;
using OmniStream.Testing.Processes;
using OmniStream.Kafka;
using OmniStream.Testing.Kafka;

namespace OmniStream.Deployment.Tests;

/// <summary>
/// The ops page in a real headless Chromium, served by one of two worker processes while channel
/// traffic flows: it draws every partition's lag charts, the other instance's partitions included,
/// and its figures move. The page is behind the <c>ops</c> permission: the browser sends an API key
/// as an authenticating proxy would.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public class OpsPageTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Test]
    public async Task The_ops_page_draws_both_instances_partitions_with_lag_charts_that_move_while_traffic_flows()
    {
        HeadlessChromium.RequireInstalled();
        using var turn = await ChannelTraffic.TakeTurnAsync();
        var app = "ops-" + Guid.NewGuid().ToString("N")[..6];
        await OutageTests.CreateTopicsAsync(app);
        var workers = new[] { "ops-1", "ops-2" }.Select(id => WorkerProcesses.Start(id, FailureModeTests.Directory(id), ShortSessions.With(new Dictionary<string, string>
        {
            ["OmniStream:Kafka:BootstrapServers"] = ClusterFixture.Cluster.BootstrapServers,
            ["OmniStream:Stream:ApplicationId"] = app,
            // Nothing anonymous: /ops needs the ops permission.
            ["OmniStream:Auth:Anonymous:0"] = "",
            ["OmniStream:Ops:SampleInterval"] = "00:00:01",
        }))).ToList();
        using var traffic = new CancellationTokenSource();
        try
        {
            using var http = TestCredentials.AdminClient(workers[0].Api);
            await WaitSharedAsync(workers);
            var publishing = SurveyTraffic.PublishAsync("ops-customer", traffic.Token);

            using (var anonymous = new HttpClient { BaseAddress = workers[0].Api })
            {
                Assert.That((await anonymous.GetAsync("/ops")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the page needs the ops permission");
            }

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await HeadlessChromium.LaunchAsync(playwright);
            await using var context = await browser.NewContextAsync(new()
            {
                ExtraHTTPHeaders = new Dictionary<string, string> { [ApiKeyHandler.Header] = TestCredentials.AdminKey },
                ViewportSize = new() { Width = 1400, Height = 1000 },
            });
            var page = await context.NewPageAsync();
            var errors = HeadlessChromium.CollectErrors(page);
            await page.GotoAsync(new Uri(workers[0].Api, "/ops").ToString());

            // Both instances' partitions, each with a records and a seconds chart of several samples, and traffic counted.
            var first = await WaitForPageAsync(page, """
                () => {
                  const owners = new Set([...document.querySelectorAll('[data-partition]')].map(p => p.dataset.owner));
                  const charts = [...document.querySelectorAll('svg.lag-chart')];
                  const drawn = charts.filter(c => Number(c.dataset.points) >= 3 && c.querySelector('polyline').getAttribute('points').split(' ').length >= 3);
                  const eventsIn = Number(document.getElementById('events-in').textContent.replace(/,/g, ''));
                  return owners.has('ops-1') && owners.has('ops-2') && charts.length > 0 && drawn.length === charts.length && eventsIn > 0
                    ? { at: document.getElementById('updated').dataset.at, points: charts.reduce((n, c) => n + Number(c.dataset.points), 0), charts: charts.length }
                    : null;
                }
                """);
            // The next refreshes add samples: the charts and the figures move.
            var later = await WaitForPageAsync(page, $$"""
                () => {
                  const charts = [...document.querySelectorAll('svg.lag-chart')];
                  const points = charts.reduce((n, c) => n + Number(c.dataset.points), 0);
                  const at = document.getElementById('updated').dataset.at;
                  return at !== '{{first.GetProperty("at").GetString()}}' && points > {{first.GetProperty("points").GetInt32()}} ? { at, points, charts: charts.length } : null;
                }
                """);
            var screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"ops-page-{app}.png");
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
            TestContext.AddTestAttachment(screenshot, "the ops page of the first worker while traffic flows");

            var stages = await page.EvalOnSelectorAllAsync<string[]>("#stages tbody tr", "rows => rows.map(r => r.dataset.stage + '=' + r.querySelector('[data-state]').dataset.state)");
            var instances = await page.EvalOnSelectorAllAsync<string[]>("#instances tbody tr", "rows => rows.map(r => r.dataset.instance + '=' + r.lastElementChild.textContent)");
            var tiles = await page.EvalOnSelectorAllAsync<string[]>(".tile output", "outputs => outputs.map(o => o.id + '=' + o.textContent)");
            TestContext.Progress.WriteLine($"ops page: {first.GetProperty("charts")} charts, samples {first.GetProperty("points")} → {later.GetProperty("points")}; {string.Join(", ", tiles)}; screenshot {screenshot}");
            Assert.That(stages, Is.EquivalentTo(new[] { "ingest=running", "identity=running", "customers=running", "kpis=running" }));
            Assert.That(instances, Is.EquivalentTo(new[] { "ops-1=yes", "ops-2=yes" }), "the other instance answered the page's request with the caller's key");
            Assert.That(errors, Is.Empty, "no script errors or refused assets in the page");
            Assert.That(new FileInfo(screenshot).Length, Is.GreaterThan(10_000));

            await traffic.CancelAsync();
            await publishing;
        }
        finally
        {
            await traffic.CancelAsync();
            foreach (var (process, _) in workers)
            {
                Assert.That(await process.StopAsync(Deadline), Is.Zero, process.Output);
                process.Dispose();
            }
        }
    }

    private static async Task<JsonElement> WaitForPageAsync(IPage page, string condition)
    {
        var handle = await page.WaitForFunctionAsync(condition, null, new() { Timeout = (float)Deadline.TotalMilliseconds, PollingInterval = 250 });
        return await handle.JsonValueAsync<JsonElement>();
    }

    // Each worker owns some partitions of every stage (and has announced them).
    private static async Task WaitSharedAsync(List<(ServiceProcess Process, Uri Api)> workers)
    {
        foreach (var (process, api) in workers)
        {
            using var http = TestCredentials.AdminClient(api);
            await OutageTests.WaitHealthyAsync(http, process);
        }
        await Wait.UntilAsync(async () =>
        {
            foreach (var (_, api) in workers)
            {
                using var http = TestCredentials.AdminClient(api);
                var health = JsonDocument.Parse(await http.GetStringAsync("/health")).RootElement;
                if (health.GetProperty("stages").EnumerateArray().Any(s => s.GetProperty("assignedPartitions").GetInt32() == 0))
                {
                    return false;
                }
            }
            return true;
        }, Deadline, "both workers owning partitions of every stage");
    }
}
