using Microsoft.Extensions.Configuration;

namespace OmniStream.ServiceDefaults.Hosting;

/// <summary>
/// <c>dotnet &lt;service&gt;.dll --probe-health</c>: asks the service running in this container for <c>GET /health</c>
/// on the loopback address and exits 0 when it answers 200, 1 otherwise: the images' HEALTHCHECK, which have no
/// curl. The port comes from the same settings the service listens on (appsettings.json, then the environment).
/// </summary>
public static partial class HealthProbe
{
    /// <summary>The argument that runs the probe instead of the service.</summary>
    public const string Argument = "--probe-health";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>True when the process was started to probe rather than to serve.</summary>
    public static bool IsRequested(IReadOnlyList<string> args) => args is [Argument];

    /// <summary>Probes the service whose listen URL is the setting <paramref name="urlSetting"/> (default <paramref name="defaultUrl"/>).</summary>
    public static async Task<int> RunAsync(string name, string urlSetting, string defaultUrl)
    {
        var settings = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var health = new Uri(Loopback(settings[urlSetting] ?? defaultUrl), "/health");
        // Its own listener on the loopback address: the certificate names the service's public host, and nothing but a
        // status code is exchanged, so the probe does not check it.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var client = new HttpClient(handler) { Timeout = Timeout };
        try
        {
            using var response = await client.GetAsync(health).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return 0;
            }
            await Console.Error.WriteLineAsync($"{name}: unhealthy: {health} answered {(int)response.StatusCode}").ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"{name}: unhealthy: {health} did not answer ({e.Message})").ConfigureAwait(false);
        }
        return ServiceHost.Failed;
    }

    // A listener on every address (0.0.0.0, [::], +, *) is asked on 127.0.0.1.
    private static Uri Loopback(string listen)
    {
        var url = ListenUrl().Match(listen);
        var host = url.Groups["host"].Value is "0.0.0.0" or "[::]" or "+" or "*" ? "127.0.0.1" : url.Groups["host"].Value;
        return new Uri($"{url.Groups["scheme"].Value}://{host}{url.Groups["rest"].Value}");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<scheme>[a-z]+)://(?<host>\[[^\]]*\]|[^:/]+)(?<rest>.*)$")]
    private static partial System.Text.RegularExpressions.Regex ListenUrl();
}
