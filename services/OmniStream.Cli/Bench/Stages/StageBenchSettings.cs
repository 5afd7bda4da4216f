namespace OmniStream.Cli.Bench.Stages;

/// <summary>What the stage micro-benchmark runs.</summary>
/// <param name="Customers">The population the bench's events are spread over.</param>
/// <param name="WarmEvents">Events run through every stage before measuring (each customer gets some state, the code is compiled).</param>
/// <param name="MeasuredEvents">Events measured, in <paramref name="Rounds"/> rounds.</param>
/// <param name="Rounds">Rounds measured; each stage's figures are the median round's.</param>
/// <param name="Partitions">Partitions of every topic: tasks per stage.</param>
/// <param name="Store">Where the stores live: <c>rocksdb</c> (as in the worker) or <c>memory</c>.</param>
/// <param name="CacheBytes">The customers' state cache budget (<c>OmniStream:Customers:StateCacheBytes</c>); null for the worker's default.</param>
internal sealed record StageBenchSettings(int Customers, long WarmEvents, long MeasuredEvents, int Rounds, int Partitions, string Store, long? CacheBytes = null)
{
    /// <summary>The simulated pace of the events: their times are 100 µs apart.</summary>
    public const int EventsPerSecond = 10_000;

    /// <summary>Defaults for <paramref name="customers"/>: two warm-up events per customer, then 3 rounds of 20,000 events, on 6 partitions and RocksDB.</summary>
    public static StageBenchSettings For(int customers) => new(customers, 2L * customers, 60_000, 3, 6, "rocksdb");
}
