using System.CommandLine;
using OmniStream.Cli.Simulation;

namespace OmniStream.Cli.Commands;

/// <summary><c>omnistream simulate --policy-eval</c>: how well the policies learn, and whether they ever break a contact rule.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var policyEval = new Option<bool>("--policy-eval") { Description = "Evaluate decision quality: a population with hidden response rates per offer and segment, through the real worker" };
        var customers = new Option<int>("--customers") { Description = "Simulated customers (3 to 5 events each)", DefaultValueFactory = _ => 30_000 };
        var rate = new Option<int>("--rate") { Description = "Events per second offered", DefaultValueFactory = _ => 2_500 };
        var seed = new Option<int>("--seed") { Description = "Seed of the population and of the outcomes drawn", DefaultValueFactory = _ => 7 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout (progress goes to stderr)" };
        OptionRules.AtLeast(customers, 100);
        OptionRules.AtLeast(rate, 1, "event/s");

        var command = new Command("simulate", "Simulate customers through the worker on an embedded cluster and measure its decisions")
        {
            policyEval, customers, rate, seed, json,
        };
        command.Validators.Add(r =>
        {
            if (!r.GetValue(policyEval))
            {
                r.AddError("choose a simulation: --policy-eval");
            }
        });
        command.SetAction((parse, stop) =>
            new PolicyEvaluation(parse.GetValue(customers), parse.GetValue(rate), parse.GetValue(seed), Console.Out, parse.GetValue(json)).RunAsync(stop));
        return command;
    }
}
