using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmniStream.Cli.Bench;

/// <summary>The benchmark's figures, printed as one JSON object (snake_case) or as lines.</summary>
internal sealed record BenchReport(
    string Guarantee,
    string Cluster,
    int Cores,
    int Threads,
    int Customers,
    long Events,
    double BaselineEventsPerS,
    double EventsPerS,
    double Ratio,
    int OfferedEventsPerS,
    long LatencyEvents,
    long ExpectedActions,
    long Actions,
    double P50Ms,
    double P99Ms,
    double P999Ms,
    double PeakRssMb,
    double StateMb,
    double GcHeapMbPeak,
    double GcCommittedMbPeak,
    double CpuUsPerEvent,
    double BrokerCpuShare,
    double GcPauseMsTotal,
    double ChangelogBytesPerEvent,
    IReadOnlyDictionary<string, double> ProducedBytesPerEvent,
    IReadOnlyList<StageFigures> Stages,
    IReadOnlyList<LatencyFigures> Latency)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public IEnumerable<string> ToLines()
    {
        yield return $"guarantee {Guarantee}, {Cluster}, {Cores} cores, {Threads} thread(s) per stage, {Customers:N0} customers, {Events:N0} events per throughput run";
        yield return $"throughput: pass-through {BaselineEventsPerS:N0} events/s, worker pipeline {EventsPerS:N0} events/s, ratio {Ratio:0.00}";
        yield return $"cost: {CpuUsPerEvent:N1} µs of CPU per event (embedded brokers left out; they took {BrokerCpuShare:P0} of the process), " +
                     $"GC pauses {GcPauseMsTotal:N0} ms, changelogs {ChangelogBytesPerEvent:N0} bytes per event";
        yield return "bytes per event: " + string.Join(", ", ProducedBytesPerEvent.Take(6).Select(p => $"{p.Key} {p.Value:N0}"));
        yield return "stages: " + string.Join(", ", Stages.Select(s => $"{s.Stage} {s.RecordsPerS:N0} records/s busy {s.BusyShare:P0}"));
        foreach (var phase in Latency)
        {
            yield return $"latency at {phase.OfferedEventsPerS:N0} events/s offered ({phase.Events:N0} events, {phase.Actions:N0} of {phase.ExpectedActions:N0} reminders): " +
                         $"p50 {phase.P50Ms:0.0} ms, p99 {phase.P99Ms:0.0} ms, p99.9 {phase.P999Ms:0.0} ms";
        }
        yield return $"memory: peak RSS {PeakRssMb:N0} MB (.NET heap at most {GcHeapMbPeak:N0} MB, {GcCommittedMbPeak:N0} MB held by the GC); state on disk {StateMb:N0} MB";
    }
}
