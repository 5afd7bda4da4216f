using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmniStream.Cli.Bench;

/// <summary>The benchmark's figures, printed as one JSON object (snake_case) or as lines.</summary>
internal sealed record BenchReport(
    string Guarantee,
    string Cluster,
    int Cores,
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
    double StateMb)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public IEnumerable<string> ToLines()
    {
        yield return $"guarantee {Guarantee}, {Cluster}, {Cores} cores, {Customers:N0} customers, {Events:N0} events per throughput run";
        yield return $"throughput: pass-through {BaselineEventsPerS:N0} events/s, worker pipeline {EventsPerS:N0} events/s, ratio {Ratio:0.00}";
        yield return $"latency at {OfferedEventsPerS:N0} events/s offered ({LatencyEvents:N0} events, {Actions:N0} of {ExpectedActions:N0} reminders): " +
                     $"p50 {P50Ms:0.0} ms, p99 {P99Ms:0.0} ms, p99.9 {P999Ms:0.0} ms";
        yield return $"memory: peak RSS {PeakRssMb:N0} MB; state on disk {StateMb:N0} MB";
    }
}
