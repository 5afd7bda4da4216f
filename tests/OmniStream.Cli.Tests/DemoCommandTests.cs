using System.Text.RegularExpressions;
using OmniStream.Testing;

namespace OmniStream.Cli.Tests;

public partial class DemoCommandTests
{
    [Test]
    public async Task A_short_demo_ends_with_its_summary_line_and_actions()
    {
        using var cli = CliProcess.Start("demo", "--duration", "4s", "--customers", "300", "--rate", "200", "--cart-idle", "1s");

        var exitCode = await cli.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.That(exitCode, Is.Zero, cli.Stderr);
        var summary = SummaryLine().Match(cli.Stdout[^1]);
        Assert.That(summary.Success, Is.True, $"last line: {cli.Stdout[^1]}");
        Assert.That(long.Parse(summary.Groups["events"].Value), Is.GreaterThan(0));
        Assert.That(long.Parse(summary.Groups["actions"].Value), Is.GreaterThan(0));
        Assert.That(cli.Stdout, Has.Some.Contains("CART_REMINDER for cust-").And.Some.Contains("CART_IDLE"));
        Assert.That(cli.Stdout, Has.Some.Match("^application: omnistream-demo-worker \\(its stages' lag: omnistream lag --bootstrap-servers \\S+ --application-id omnistream-demo-worker\\)$"),
            "the application id and the lag command to run against it");
    }

    [Test]
    public async Task While_it_runs_the_demo_prints_the_addresses_of_a_live_customers_360_view_and_of_the_kpis_and_a_token_they_answer_to_and_ctrl_c_stops_it_in_order_with_its_summary()
    {
        using var cli = CliProcess.Start("demo", "--duration", "5m", "--customers", "300", "--rate", "200", "--cart-idle", "1s");
        var line = await cli.WaitForLineAsync(l => l.StartsWith("360: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the 360 line");
        var kpisLine = await cli.WaitForLineAsync(l => l.StartsWith("kpis: ", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the kpis line");
        var opsLine = await cli.WaitForLineAsync(l => l.StartsWith("ops: ", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the ops line");
        var token = (await cli.WaitForLineAsync(l => l.StartsWith("token: ", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the token line"))["token: ".Length..];
        var curl = await cli.WaitForLineAsync(l => l.StartsWith("curl ", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the curl line");

        var url = ViewLine().Match(line);
        Assert.That(url.Success, Is.True, line);
        using var anonymous = new HttpClient();
        using var refused = await anonymous.GetAsync(new Uri(url.Groups["url"].Value));
        using var http = new HttpClient { DefaultRequestHeaders = { Authorization = new("Bearer", token) } };
        using var response = await http.GetAsync(new Uri(url.Groups["url"].Value));
        var view = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        long journeys = 0;
        await Wait.UntilAsync(async () =>
        {
            var kpis = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri(kpisLine["kpis: ".Length..]))).RootElement;
            journeys = kpis.GetProperty("kpis").EnumerateArray().Where(k => k.GetProperty("scope").GetString() == "all")
                .Sum(k => k.GetProperty("counts").GetProperty("journeys").GetInt64());
            return journeys > 0;
        }, TimeSpan.FromSeconds(30), "journeys in the demo's KPIs");
        using var ops = await http.GetAsync(new Uri(opsLine["ops: ".Length..]));
        var opsPage = await ops.Content.ReadAsStringAsync();
        await cli.WaitForLineAsync(l => ActionsSeen().IsMatch(l), TimeSpan.FromSeconds(60), "a status line with actions");
        cli.Interrupt();
        var exitCode = await cli.WaitForExitAsync(TimeSpan.FromSeconds(40));

        Assert.That(SummaryLine().IsMatch(cli.Stdout[^1]), Is.True, $"last line: {cli.Stdout[^1]}");
        Assert.That(exitCode, Is.Zero, cli.Stderr);
        Assert.That(cli.Stderr, Does.Not.Contain("brokers are down").And.Not.Contain("malloc"));

        Assert.That(ops.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
        Assert.That(opsPage, Does.Contain("<title>OmniStream ops</title>"));
        Assert.That(refused.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Unauthorized));
        Assert.That(curl, Is.EqualTo($"curl -H \"Authorization: Bearer {token}\" {url.Groups["url"].Value}"));
        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
        Assert.That(view.GetProperty("customerId").GetString(), Is.EqualTo(url.Groups["id"].Value));
        Assert.That(view.GetProperty("timeline").GetArrayLength(), Is.GreaterThan(0));
    }

    [Test]
    public async Task A_bad_duration_is_refused_naming_the_value()
    {
        using var cli = CliProcess.Start("demo", "--duration", "soon");

        var exitCode = await cli.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(cli.Stderr, Does.Contain("'soon' is not a duration"));
    }

    [GeneratedRegex(@"^360: (?<url>http://127\.0\.0\.1:\d+/customers/(?<id>cust-\d+))$")]
    private static partial Regex ViewLine();

    [GeneratedRegex(@"^\[.*actions +[1-9][\d,]* \(")]
    private static partial Regex ActionsSeen();

    [GeneratedRegex(@"^demo: events=(?<events>\d+) actions=(?<actions>\d+) p50_ms=\d+ p99_ms=\d+$")]
    private static partial Regex SummaryLine();
}
