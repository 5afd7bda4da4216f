using System.CommandLine;
using OmniStream.Cli.Demo;

namespace OmniStream.Cli.Commands;

/// <summary><c>omnistream demo</c>: the whole flow on the embedded cluster, with live figures.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var duration = new Option<TimeSpan>("--duration") { Description = "How long traffic flows (e.g. 30s, 5m)", CustomParser = DurationParser.Parse, DefaultValueFactory = _ => TimeSpan.FromSeconds(30) };
        var customers = new Option<int>("--customers") { Description = "Simulated customers", DefaultValueFactory = _ => 5_000 };
        var rate = new Option<int>("--rate") { Description = "Events per second offered", DefaultValueFactory = _ => 500 };
        var cartIdle = new Option<TimeSpan>("--cart-idle") { Description = "Idle time before a cart reminder (e.g. 5s)", CustomParser = DurationParser.Parse, DefaultValueFactory = _ => TimeSpan.FromSeconds(5) };
        var brokers = new Option<int>("--brokers") { Description = "Brokers of the embedded cluster", DefaultValueFactory = _ => 3 };
        foreach (var positive in new[] { customers, rate, brokers })
        {
            OptionRules.AtLeast(positive, 1);
        }

        var command = new Command("demo", "Run the flow on an embedded cluster: channel traffic → worker → next best actions; stops after --duration or on Ctrl+C")
        {
            duration, customers, rate, cartIdle, brokers,
        };
        command.SetAction((parse, stop) =>
        {
            var settings = new DemoSettings(parse.GetValue(duration), parse.GetValue(customers), parse.GetValue(rate), parse.GetValue(cartIdle), parse.GetValue(brokers));
            return new DemoRunner(settings, Console.Out).RunAsync(stop);
        });
        return command;
    }
}
