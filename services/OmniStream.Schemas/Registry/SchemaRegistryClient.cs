using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Avro;
using Polly;
using Polly.Retry;

namespace OmniStream.Schemas.Registry;

/// <summary>
/// A small client of the Confluent Schema Registry REST API, with every answer cached (ids and
/// schemas are immutable) and transient HTTP failures retried.
/// </summary>
public sealed class SchemaRegistryClient : ISchemaRegistry
{
    private const string ContentType = "application/vnd.schemaregistry.v1+json";
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _retry;
    private readonly ConcurrentDictionary<int, Schema> _schemasById = new();
    private readonly ConcurrentDictionary<(string Subject, string Schema), int> _idsBySubject = new();

    /// <summary>Creates a client over an <see cref="HttpClient"/> whose BaseAddress is the registry URL.</summary>
    public SchemaRegistryClient(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http.BaseAddress, "http.BaseAddress");
        _http = http;
        _retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TaskCanceledException>(),
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(100),
            })
            .Build();
    }

    /// <inheritdoc />
    public async Task<int> RegisterAsync(string subject, Schema schema, CancellationToken cancellationToken = default)
    {
        var text = schema.ToString();
        if (_idsBySubject.TryGetValue((subject, text), out var cached))
        {
            return cached;
        }
        var answer = await SendAsync<IdAnswer>(HttpMethod.Post, $"subjects/{Uri.EscapeDataString(subject)}/versions", text, cancellationToken).ConfigureAwait(false);
        _idsBySubject[(subject, text)] = answer!.Id;
        _schemasById.TryAdd(answer.Id, schema);
        return answer.Id;
    }

    /// <inheritdoc />
    public async Task<Schema> GetSchemaAsync(int id, CancellationToken cancellationToken = default)
    {
        if (_schemasById.TryGetValue(id, out var cached))
        {
            return cached;
        }
        var answer = await SendAsync<SchemaAnswer>(HttpMethod.Get, $"schemas/ids/{id}", null, cancellationToken).ConfigureAwait(false);
        return _schemasById.GetOrAdd(id, Schema.Parse(answer!.Schema));
    }

    /// <inheritdoc />
    public async Task<RegisteredSchema?> LookUpAsync(string subject, Schema schema, CancellationToken cancellationToken = default)
    {
        try
        {
            var answer = await SendAsync<LookUpAnswer>(HttpMethod.Post, $"subjects/{Uri.EscapeDataString(subject)}", schema.ToString(), cancellationToken).ConfigureAwait(false);
            return new RegisteredSchema(answer!.Subject, answer.Id, answer.Version);
        }
        catch (SchemaRegistryException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private Task<T?> SendAsync<T>(HttpMethod method, string path, string? schemaText, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(async token =>
        {
            using var request = new HttpRequestMessage(method, path);
            if (schemaText is not null)
            {
                request.Content = JsonContent.Create(new SchemaBody(schemaText), mediaType: new(ContentType));
            }
            using var response = await _http.SendAsync(request, token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var error = await ReadErrorAsync(response, token).ConfigureAwait(false);
                if ((int)response.StatusCode >= 500)
                {
                    throw new HttpRequestException(error.Message, null, response.StatusCode);
                }
                throw new SchemaRegistryException(response.StatusCode, error.ErrorCode, error.Message);
            }
            return await response.Content.ReadFromJsonAsync<T>(token).ConfigureAwait(false);
        }, cancellationToken).AsTask();

    private static async Task<ErrorAnswer> ReadErrorAsync(HttpResponseMessage response, CancellationToken token)
    {
        var body = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<ErrorAnswer>(body) ?? new ErrorAnswer(0, body);
        }
        catch (System.Text.Json.JsonException)
        {
            return new ErrorAnswer(0, body);
        }
    }

    private sealed record SchemaBody([property: JsonPropertyName("schema")] string Schema);

    private sealed record IdAnswer([property: JsonPropertyName("id")] int Id);

    private sealed record SchemaAnswer([property: JsonPropertyName("schema")] string Schema);

    private sealed record LookUpAnswer(
        [property: JsonPropertyName("subject")] string Subject,
        [property: JsonPropertyName("id")] int Id,
        [property: JsonPropertyName("version")] int Version);

    private sealed record ErrorAnswer(
        [property: JsonPropertyName("error_code")] int ErrorCode,
        [property: JsonPropertyName("message")] string Message);
}
