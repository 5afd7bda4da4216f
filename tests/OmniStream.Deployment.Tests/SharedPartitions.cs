using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OmniStream.Streaming.Queries;
using OmniStream.Testing;
using OmniStream.Testing.Processes;
using OmniStream.Worker.Topology;

namespace OmniStream.Deployment.Tests;

/// <summary>Worker instances run apart that share an application's partitions, and customers that land on each of them.</summary>
internal static class SharedPartitions
{
    /// <summary>Waits until the workers at <paramref name="apis"/> run every stage, each owning some of every stage's partitions.</summary>
    public static async Task WaitAsync(HttpClient http, IReadOnlyList<Uri> apis, List<ServiceProcess> processes, TimeSpan deadline)
    {
        await Wait.UntilAsync(async () =>
        {
            if (processes.FirstOrDefault(p => p.HasExited) is { } exited)
            {
                Assert.Fail($"{exited.Name} exited\n{exited.Output}");
            }
            var stages = new List<JsonElement>();
            foreach (var api in apis)
            {
                using var response = await TryGetAsync(http, new Uri(api, "/health"));
                if (response?.StatusCode != HttpStatusCode.OK)
                {
                    return false;
                }
                stages.AddRange((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stages").EnumerateArray());
            }
            // Every stage's partitions split between the workers, none left unowned while a rebalance goes on.
            return stages.GroupBy(s => s.GetProperty("stage").GetString()).All(stage =>
                stage.All(s => s.GetProperty("assignedPartitions").GetInt32() > 0)
                && stage.Sum(s => s.GetProperty("assignedPartitions").GetInt32()) == stage.First().GetProperty("inputPartitions").GetInt32());
        }, deadline, "the workers sharing every stage's partitions");
    }

    /// <summary>One customer id per partition of the customers' stage, so that each worker is asked about customers it does not own.</summary>
    public static List<string> CustomersOnEveryPartition(string prefix)
    {
        var byPartition = new Dictionary<int, string>();
        for (var i = 0; byPartition.Count < WorkerTopology.Partitions; i++)
        {
            var id = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)] + i;
            byPartition.TryAdd(KeyPartitioner.Partition(Encoding.UTF8.GetBytes(id), WorkerTopology.Partitions), id);
        }
        return [.. byPartition.Values];
    }

    /// <summary>The status <paramref name="url"/> answers; null when nothing answers.</summary>
    public static async Task<HttpStatusCode?> StatusAsync(HttpClient http, Uri url)
    {
        using var response = await TryGetAsync(http, url);
        return response?.StatusCode;
    }

    private static async Task<HttpResponseMessage?> TryGetAsync(HttpClient http, Uri url)
    {
        try
        {
            return await http.GetAsync(url);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
