namespace OmniStream.Cli.Tests;

/// <summary>The policy evaluation through the real worker: its output contract and its breach counts (its quality figures come from the full run, quoted in the README).</summary>
public class SimulateCommandTests
{
    [Test]
    public async Task A_small_policy_evaluation_prints_its_figures_breaks_no_contact_rule_and_beats_random()
    {
        using var cli = CliProcess.Start("simulate", "--policy-eval", "--customers", "2000", "--rate", "2000", "--json");

        var figures = await cli.JsonResultAsync(TimeSpan.FromSeconds(180));

        Assert.Multiple(() =>
        {
            Assert.That(figures.GetProperty("consent_breaches").GetInt32(), Is.Zero);
            Assert.That(figures.GetProperty("cap_breaches").GetInt32(), Is.Zero);
            Assert.That(figures.GetProperty("decisions").GetInt32(), Is.InRange(1400, 1800), "one offer per consenting customer (four in five), the second visit held back by the gap");
            Assert.That(figures.GetProperty("events").GetInt64(), Is.GreaterThan(7000));
            Assert.That(figures.GetProperty("oracle_conversion").GetDouble(), Is.GreaterThan(figures.GetProperty("random_conversion").GetDouble()));
            Assert.That(figures.GetProperty("policy_expected_conversion").GetDouble(), Is.GreaterThan(figures.GetProperty("random_conversion").GetDouble()),
                "even 2,000 customers teach the policy to beat random choice");
        });
    }

    [Test]
    public async Task Without_a_simulation_named_the_command_says_which_to_choose()
    {
        using var cli = CliProcess.Start("simulate");

        var exitCode = await cli.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(cli.Stderr, Does.Contain("--policy-eval"));
    }
}
