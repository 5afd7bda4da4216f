using OmniStream.Streaming.Processing;

namespace OmniStream.Cli.Bench;

/// <summary>What the benchmark runs.</summary>
/// <param name="Customers">The population the events are spread over.</param>
/// <param name="Events">Events pushed through each of the two throughput runs.</param>
/// <param name="OfferedRates">Events per second offered while latency is measured, one phase per rate.</param>
/// <param name="LatencyDuration">How long latency is measured.</param>
/// <param name="Guarantee">The processing guarantee of both the baseline and the pipeline.</param>
/// <param name="Brokers">Brokers of each embedded cluster.</param>
/// <param name="Threads">Threads per stage in the worker.</param>
/// <param name="StageThreads">Threads of particular stages, instead of <paramref name="Threads"/>.</param>
internal sealed record BenchSettings(int Customers, long Events, IReadOnlyList<int> OfferedRates, TimeSpan LatencyDuration, ProcessingGuarantee Guarantee, int Brokers, int Threads = 1,
    IReadOnlyDictionary<string, int>? StageThreads = null);
