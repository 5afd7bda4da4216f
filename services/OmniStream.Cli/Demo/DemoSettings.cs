namespace OmniStream.Cli.Demo;

/// <summary>What the demo simulates.</summary>
/// <param name="Duration">How long traffic flows.</param>
/// <param name="Customers">How many simulated customers.</param>
/// <param name="EventsPerSecond">Offered load.</param>
/// <param name="CartIdleTime">How long a cart stays untouched before a reminder.</param>
/// <param name="Brokers">Brokers of the embedded cluster.</param>
internal sealed record DemoSettings(TimeSpan Duration, int Customers, int EventsPerSecond, TimeSpan CartIdleTime, int Brokers);
