using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;

namespace OmniStream.Deployment.Tests;

/// <summary>A client of the gateway's server-sent events: keeps every action it received.</summary>
internal sealed class ServerSentEvents : IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<JsonElement> _actions = new();
    private readonly Task _reading;

    private ServerSentEvents(Uri stream, string token)
    {
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _reading = ReadAsync(stream);
    }

    /// <summary>The actions received so far.</summary>
    public IReadOnlyList<JsonElement> Actions => [.. _actions];

    /// <summary>The status the stream answered with, once it did.</summary>
    public int? Status { get; private set; }

    /// <summary>Opens <paramref name="stream"/> with a bearer token.</summary>
    public static ServerSentEvents Open(Uri stream, string token) => new(stream, token);

    private async Task ReadAsync(Uri stream)
    {
        try
        {
            using var response = await _http.GetAsync(stream, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
            Status = (int)response.StatusCode;
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    _actions.Enqueue(JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
        {
            // Closed by the test or by the gateway's stop.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _stop.Dispose();
        _http.Dispose();
    }
}
