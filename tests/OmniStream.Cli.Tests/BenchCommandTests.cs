namespace OmniStream.Cli.Tests;

/// <summary>The benchmark's output contract; its figures are measured by running it, not here.</summary>
public class BenchCommandTests
{
    [Test]
    public async Task A_small_bench_prints_one_json_object_with_its_figures()
    {
        using var cli = CliProcess.Start("bench", "--customers", "1000", "--events", "5000", "--rate", "500", "--rate", "800", "--latency-duration", "2s", "--json");

        var figures = await cli.JsonResultAsync(TimeSpan.FromSeconds(180));

        Assert.Multiple(() =>
        {
            foreach (var positive in new[] { "baseline_events_per_s", "events_per_s", "ratio", "p50_ms", "p99_ms", "p999_ms", "peak_rss_mb", "gc_heap_mb_peak", "gc_committed_mb_peak", "actions",
                "cpu_us_per_event", "broker_cpu_share", "changelog_bytes_per_event" })
            {
                Assert.That(figures.GetProperty(positive).GetDouble(), Is.GreaterThan(0), positive);
            }
            Assert.That(figures.GetProperty("customers").GetInt32(), Is.EqualTo(1000));
            Assert.That(figures.GetProperty("events").GetInt64(), Is.EqualTo(5000));
            Assert.That(figures.GetProperty("guarantee").GetString(), Is.EqualTo("exactly-once"));
            Assert.That(figures.GetProperty("actions").GetInt64(), Is.EqualTo(figures.GetProperty("expected_actions").GetInt64()));
            Assert.That(figures.GetProperty("gc_pause_ms_total").GetDouble(), Is.GreaterThanOrEqualTo(0));
            var phases = figures.GetProperty("latency").EnumerateArray().ToList();
            Assert.That(phases.Select(p => p.GetProperty("offered_events_per_s").GetInt32()), Is.EqualTo(new[] { 500, 800 }));
            Assert.That(phases.Select(p => p.GetProperty("p99_ms").GetDouble()), Is.All.GreaterThan(0));
            var produced = figures.GetProperty("produced_bytes_per_event").EnumerateObject().ToList();
            Assert.That(produced.Select(p => p.Name), Has.Some.EndsWith("-customers-changelog").And.Some.EqualTo("omni.customer-profiles"));
            var stages = figures.GetProperty("stages").EnumerateArray().ToList();
            Assert.That(stages.Select(s => s.GetProperty("stage").GetString()), Is.EquivalentTo(new[] { "ingest", "identity", "customers", "kpis" }));
            // Every bench event names its customer: it goes from ingest straight to customers, and identity reads only watermarks.
            var recordsPerS = stages.ToDictionary(s => s.GetProperty("stage").GetString()!, s => s.GetProperty("records_per_s").GetDouble());
            Assert.That(recordsPerS["ingest"], Is.GreaterThan(0));
            Assert.That(recordsPerS["customers"], Is.GreaterThan(0));
            Assert.That(recordsPerS["identity"], Is.Zero);
            Assert.That(recordsPerS["kpis"], Is.GreaterThan(0));
            Assert.That(stages.Select(s => s.GetProperty("busy_share").GetDouble()), Is.All.InRange(0.0, 1.0));
        });
    }

    [Test]
    public async Task The_stage_bench_prints_each_stages_cost_and_the_state_cache_it_was_given()
    {
        // Compiled once, optimized: the bench's JIT settles at once instead of running rounds until tiering is done (8 s against 16).
        using var cli = CliProcess.Start(new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "0" },
            "bench", "--stages", "--customers", "1000", "--events", "3000", "--cache-bytes", "0", "--json");

        var figures = await cli.JsonResultAsync(TimeSpan.FromMinutes(3));

        Assert.Multiple(() =>
        {
            Assert.That(figures.GetProperty("cache_budget_bytes").GetInt64(), Is.Zero);
            Assert.That(figures.GetProperty("cache_hit_rate").GetDouble(), Is.Zero, "no state held: every read goes to the store");
            var customers = figures.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("stage").GetString() == "customers");
            Assert.That(customers.GetProperty("records").GetInt64(), Is.GreaterThan(0));
            Assert.That(customers.GetProperty("cpu_us_per_record").GetDouble(), Is.GreaterThan(0));
            Assert.That(customers.GetProperty("allocated_bytes_per_record").GetDouble(), Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task A_negative_cache_budget_is_refused_naming_the_option()
    {
        using var cli = CliProcess.Start("bench", "--stages", "--cache-bytes", "-1");

        var exitCode = await cli.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(cli.Stderr, Does.Contain("--cache-bytes must be 0 or more"));
    }

    [Test]
    public async Task A_population_below_the_minimum_is_refused_naming_the_option()
    {
        using var cli = CliProcess.Start("bench", "--customers", "10");

        var exitCode = await cli.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(cli.Stderr, Does.Contain("--customers must be at least 1000"));
    }
}
