using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniStream.ServiceDefaults.Peers;

namespace OmniStream.Worker.Api;

/// <summary>
/// Asks another instance of the application, on a caller's behalf, for its share of an answer (its
/// KPIs, its ops figures) or for a customer it owns. The request carries a short-lived assertion of
/// the caller's name and permissions for that instance only (<see cref="PeerAssertions"/>), never the
/// caller's own credential; it follows no redirect and reads at most <see cref="MaxAnswerBytes"/>.
/// </summary>
public sealed class PeerRequests(IHttpClientFactory http, IOptions<JsonOptions> json, PeerAssertions assertions)
{
    /// <summary>The name of the HTTP client used to ask other instances.</summary>
    public const string ClientName = "omnistream-peers";

    /// <summary>The largest answer read from another instance.</summary>
    public const int MaxAnswerBytes = 16 * 1024 * 1024;

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Adds the HTTP client that asks other instances: no redirects followed, answers capped.</summary>
    public static void AddClient(IServiceCollection services) =>
        services.AddHttpClient(ClientName, client =>
            {
                client.Timeout = DefaultTimeout;
                client.MaxResponseContentBufferSize = MaxAnswerBytes;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });

    /// <summary>
    /// <paramref name="path"/> (with its query) of <paramref name="instance"/> at <paramref name="endpoint"/>, read as <typeparamref name="T"/>;
    /// null and why when the instance does not answer, answers an error, or takes longer than <paramref name="timeout"/>.
    /// </summary>
    public async Task<(T? Value, string? Error)> GetAsync<T>(string instance, string endpoint, string path, ClaimsPrincipal caller, TimeSpan? timeout,
        CancellationToken cancellationToken) where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            using var response = await SendAsync(instance, endpoint, path, caller, deadline.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? (await response.Content.ReadFromJsonAsync<T>(json.Value.SerializerOptions, deadline.Token).ConfigureAwait(false), null)
                : (null, $"{endpoint} answered {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or UriFormatException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, e is OperationCanceledException ? $"{endpoint} did not answer within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s" : $"{endpoint}: {e.Message}");
        }
    }

    /// <summary>
    /// The answer of <paramref name="instance"/> at <paramref name="endpoint"/> to <paramref name="context"/>'s request (its path and
    /// query), relayed with its status and entity tag (the caller's <c>If-None-Match</c> passed on); 502 when it does not answer or
    /// answers a redirect.
    /// </summary>
    public async Task<IResult> RelayAsync(string instance, string endpoint, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            using var response = await SendAsync(instance, endpoint, context.Request.Path + context.Request.QueryString, context.User, context.RequestAborted,
                context.Request.Headers.IfNoneMatch.ToString()).ConfigureAwait(false);
            if ((int)response.StatusCode is >= 300 and < 400 and not StatusCodes.Status304NotModified)
            {
                return Unreachable(endpoint, $"it answered a redirect ({(int)response.StatusCode}), which is not followed");
            }
            if (response.Headers.ETag is { } tag)
            {
                context.Response.Headers.ETag = tag.ToString();
            }
            if (response.StatusCode == System.Net.HttpStatusCode.NotModified)
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }
            var body = await response.Content.ReadAsStringAsync(context.RequestAborted).ConfigureAwait(false);
            return Results.Content(body, response.Content.Headers.ContentType?.ToString() ?? "application/json", Encoding.UTF8, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or UriFormatException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            return Unreachable(endpoint, e is TaskCanceledException ? $"no answer within {DefaultTimeout.TotalSeconds:0} s" : e.Message);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string instance, string endpoint, string path, ClaimsPrincipal caller, CancellationToken cancellationToken,
        string? ifNoneMatch = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(endpoint), path));
        request.Headers.Add(PeerAssertions.Header, assertions.Mint(caller, instance));
        if (!string.IsNullOrEmpty(ifNoneMatch))
        {
            // The caller's copy: the owner answers 304 when it is still the current one.
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }
        return await http.CreateClient(ClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static IResult Unreachable(string endpoint, string why) =>
        Results.Json(new ApiError($"the instance that owns this ({endpoint}) did not answer usably: {why}"), statusCode: StatusCodes.Status502BadGateway);
}
