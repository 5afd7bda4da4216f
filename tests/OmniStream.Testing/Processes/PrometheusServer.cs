using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using OmniStream.Streaming.Hosting;

namespace OmniStream.Testing.Processes;

/// <summary>
/// Debian's Prometheus server in a child process, scraping the given targets every second, with its
/// data in a temporary directory; queried through its HTTP API.
/// </summary>
public sealed class PrometheusServer : IDisposable
{
    /// <summary>Where Debian's package puts the server.</summary>
    public const string Executable = "/usr/bin/prometheus";

    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private PrometheusServer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        _http = new HttpClient { BaseAddress = address };
    }

    /// <summary>Whether the server is installed (<c>apt-get install prometheus</c>; .ci/run does).</summary>
    public static bool IsInstalled => File.Exists(Executable);

    /// <summary>Starts a server scraping each job's targets (host:port).</summary>
    public static PrometheusServer Start(IReadOnlyDictionary<string, string[]> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var directory = Directory.CreateTempSubdirectory("omnistream-prometheus-").FullName;
        var configuration = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(configuration, "global:\n  scrape_interval: 1s\nscrape_configs:\n" + string.Concat(jobs.Select(job => $"""
              - job_name: {job.Key}
                static_configs:
                  - targets: [{string.Join(", ", job.Value.Select(t => $"\"{t}\""))}]

            """)));
        var address = new Uri(LoopbackPort.FreeUrl());
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { $"--config.file={configuration}", $"--storage.tsdb.path={Path.Combine(directory, "data")}", $"--web.listen-address={address.Authority}" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new PrometheusServer(process, directory, address);
    }

    /// <summary>The series an instant query returns (the API's <c>data.result</c>); empty while the server is not up.</summary>
    public async Task<IReadOnlyList<JsonElement>> QueryAsync(string promql)
    {
        try
        {
            var answer = await _http.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(promql)}").ConfigureAwait(false);
            return [.. answer.GetProperty("data").GetProperty("result").EnumerateArray()];
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }

    /// <summary>Why the server refuses <paramref name="promql"/> (its parse error), or null when it evaluates it.</summary>
    public async Task<string?> ProblemAsync(string promql)
    {
        using var response = await _http.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(promql)}").ConfigureAwait(false);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
        return answer.GetProperty("status").GetString() == "success" ? null : answer.GetProperty("error").GetString();
    }

    /// <summary>The names of every metric the server has scraped.</summary>
    public async Task<IReadOnlySet<string>> MetricNamesAsync()
    {
        try
        {
            var answer = await _http.GetFromJsonAsync<JsonElement>("/api/v1/label/__name__/values").ConfigureAwait(false);
            return answer.GetProperty("data").EnumerateArray().Select(n => n.GetString()!).ToHashSet();
        }
        catch (HttpRequestException)
        {
            return new HashSet<string>();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
        _http.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
