using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using OmniStream.ServiceDefaults.Http;

namespace OmniStream.Worker.Api;

/// <summary>
/// Asks another instance of the application for its share of an answer (its KPIs, its ops figures),
/// with the caller's own credentials: the other instance authorizes the caller as it would directly.
/// </summary>
public sealed class PeerRequests(IHttpClientFactory http, IOptions<JsonOptions> json)
{
    /// <summary>
    /// <paramref name="path"/> (with its query) of <paramref name="endpoint"/>, read as <typeparamref name="T"/>;
    /// null and why when the instance does not answer, answers an error, or takes longer than <paramref name="timeout"/>.
    /// </summary>
    public async Task<(T? Value, string? Error)> GetAsync<T>(string endpoint, string path, HttpRequest caller, TimeSpan? timeout, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (string.IsNullOrEmpty(endpoint))
        {
            return (null, "it announced no endpoint (OmniStream:Stream:Endpoint)");
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(endpoint), path));
        request.Headers.Add(CustomerLookup.ForwardedHeader, "1");
        ForwardedCredentials.CopyTo(caller, request);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit)
        {
            deadline.CancelAfter(limit);
        }
        try
        {
            using var response = await http.CreateClient(CustomerLookup.ClientName).SendAsync(request, deadline.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? (await response.Content.ReadFromJsonAsync<T>(json.Value.SerializerOptions, deadline.Token).ConfigureAwait(false), null)
                : (null, $"{endpoint} answered {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, e is OperationCanceledException ? $"{endpoint} did not answer within {(timeout ?? http.CreateClient(CustomerLookup.ClientName).Timeout).TotalSeconds:0.#} s" : $"{endpoint}: {e.Message}");
        }
    }
}
