using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OmniStream.Channels.Subscribing;
using OmniStream.Gateway.Hosting;
using OmniStream.Schemas.Contracts;
using OmniStream.Kafka.Operations.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OmniStream.Gateway.Delivery;

/// <summary>
/// POSTs an action to its channel's webhook, signed (<see cref="WebhookSignature"/>), with Polly:
/// each call bounded by a timeout, retried with exponential backoff on network errors, timeouts,
/// 408, 429 and 5xx; any other answer, or the last failure, is final. Each endpoint has a circuit
/// breaker: after five failed calls in a row it opens for <see cref="GatewayOptions.WebhookBreakDuration"/>,
/// and an action that meets it open waits (<see cref="RetryLaterException"/>) instead of spending
/// every attempt's timeout on an endpoint known to be down.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory http, GatewayOptions options, TimeProvider time)
{
    /// <summary>The named HTTP client of webhook calls.</summary>
    public const string ClientName = "omnistream-webhooks";

    /// <summary>Failed calls in a row that open an endpoint's circuit.</summary>
    public const int FailuresToBreak = 5;

    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _pipelines = new(StringComparer.Ordinal);

    /// <summary>Delivers <paramref name="action"/> to <paramref name="target"/>; returns how many attempts it took.</summary>
    /// <exception cref="WebhookDeliveryException">The webhook refused it, or every attempt failed.</exception>
    /// <exception cref="RetryLaterException">The endpoint's circuit is open: the action waits.</exception>
    public async Task<int> DeliverAsync(WebhookTarget target, NextBestAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var body = JsonSerializer.SerializeToUtf8Bytes(ActionMessage.Of(action), GatewayJson.Options);
        var attempts = 0;
        HttpResponseMessage response;
        try
        {
            response = await _pipelines.GetOrAdd(target.Url, _ => Pipeline()).ExecuteAsync(async token =>
            {
                attempts++;
                using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(target.Secret, body, time.GetUtcNow()));
                request.Headers.Add("X-OmniStream-Action-Id", action.actionId.ToString());
                return await http.CreateClient(ClientName).SendAsync(request, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            throw new RetryLaterException($"the {target.Channel} webhook failed {FailuresToBreak} calls in a row; its circuit is open", e.RetryAfter ?? options.WebhookBreakDuration, e);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            throw new WebhookDeliveryException($"POST {target.Url} failed after {attempts} attempt(s): {e.Message}", e);
        }
        using (response)
        {
            return response.IsSuccessStatusCode ? attempts
                : throw new WebhookDeliveryException($"POST {target.Url} answered {(int)response.StatusCode} {response.ReasonPhrase} after {attempts} attempt(s)");
        }
    }

    private ResiliencePipeline<HttpResponseMessage> Pipeline() =>
        RetryPipelines.Call(options.DeliveryAttempts, options.RetryDelay, options.WebhookTimeout, FailuresToBreak, options.WebhookBreakDuration,
            new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>()
                .Handle<TimeoutRejectedException>()
                .HandleResult(response => IsRetryable(response.StatusCode)));

    private static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}

/// <summary>An action its webhook did not take; the message says where and why.</summary>
public sealed class WebhookDeliveryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WebhookDeliveryException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public WebhookDeliveryException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public WebhookDeliveryException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
