using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OmniStream.Testing.Registry;

/// <summary>
/// A tiny Schema Registry over real HTTP (HttpListener on 127.0.0.1): the calls Confluent's client
/// makes (register, schema by id, look up, a subject's latest version, a subject's compatibility), with basic authentication
/// when <see cref="Credentials"/> is set.
/// </summary>
public sealed partial class TestSchemaRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, string> _compatibility = new();

    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<int, string> _schemas = new();
    private readonly ConcurrentDictionary<(string Subject, string Schema), (int Id, int Version)> _subjects = new();
    private readonly Task _loop;
    private int _nextId;

    /// <summary>Starts listening on a free loopback port.</summary>
    public TestSchemaRegistry()
    {
        var port = FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>Where it listens.</summary>
    public Uri Url { get; }

    /// <summary>The <c>user:password</c> it requires; none when null.</summary>
    public string? Credentials { get; init; }

    /// <summary>While true, every request answers 503, as a registry that is down behind its load balancer.</summary>
    public bool Unavailable
    {
        get => Volatile.Read(ref _unavailable);
        set => Volatile.Write(ref _unavailable, value);
    }

    private bool _unavailable;

    /// <summary>How many requests it answered.</summary>
    public int Requests => Volatile.Read(ref _requests);

    private int _requests;

    /// <summary>A subject's compatibility level, as set by <c>PUT /config/{subject}</c>; null when unset.</summary>
    public string? CompatibilityOf(string subject) => _compatibility.GetValueOrDefault(subject);

    /// <summary>The subjects registered.</summary>
    public IReadOnlyCollection<string> Subjects => [.. _subjects.Keys.Select(k => k.Subject).Distinct()];

    /// <inheritdoc />
    public void Dispose()
    {
        // Close alone: after a Stop, HttpListener's Close removes its prefix again and, finding no socket for it (Stop
        // closed it), binds the port anew to do so, which fails with "Address already in use" while the port's
        // connections linger (seen once in CI).
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // Stopped, possibly before this loop first asked for a request.
                return;
            }
            Interlocked.Increment(ref _requests);
            var (status, body) = Answer(context.Request);
            context.Response.StatusCode = status;
            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private (int, string) Answer(HttpListenerRequest request)
    {
        var path = request.Url!.AbsolutePath;
        if (Unavailable)
        {
            return (503, """{"error_code":50301,"message":"Service Unavailable"}""");
        }
        if (Credentials is not null && request.Headers["Authorization"] != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Credentials)))
        {
            return (401, """{"error_code":401,"message":"Unauthorized"}""");
        }
        if (Config().Match(path) is { Success: true } config)
        {
            var subject = Uri.UnescapeDataString(config.Groups[1].Value);
            if (request.HttpMethod == "PUT")
            {
                using var reader = new StreamReader(request.InputStream);
                _compatibility[subject] = JsonDocument.Parse(reader.ReadToEnd()).RootElement.GetProperty("compatibility").GetString()!;
            }
            return _compatibility.TryGetValue(subject, out var level)
                ? (200, JsonSerializer.Serialize(new { compatibility = level, compatibilityLevel = level }))
                : (404, """{"error_code":40408,"message":"Subject does not have subject-level compatibility configured"}""");
        }
        if (request.HttpMethod == "GET" && SchemaById().Match(path) is { Success: true } byId)
        {
            return _schemas.TryGetValue(int.Parse(byId.Groups[1].Value), out var schema)
                ? (200, JsonSerializer.Serialize(new { schema }))
                : (404, """{"error_code":40403,"message":"Schema not found"}""");
        }
        if (request.HttpMethod == "GET" && LatestVersion().Match(path) is { Success: true } latest)
        {
            var subject = Uri.UnescapeDataString(latest.Groups[1].Value);
            var newest = _subjects.Where(e => e.Key.Subject == subject).OrderByDescending(e => e.Value.Version).FirstOrDefault();
            return newest.Key.Subject is null
                ? (404, """{"error_code":40401,"message":"Subject not found"}""")
                : (200, JsonSerializer.Serialize(new { subject, id = newest.Value.Id, version = newest.Value.Version, schema = newest.Key.Schema }));
        }
        var schemaText = ReadSchema(request);
        if (request.HttpMethod == "POST" && SubjectVersions().Match(path) is { Success: true } register)
        {
            var subject = Uri.UnescapeDataString(register.Groups[1].Value);
            var entry = _subjects.GetOrAdd((subject, schemaText), _ =>
            {
                var id = Interlocked.Increment(ref _nextId);
                _schemas[id] = schemaText;
                return (id, _subjects.Keys.Count(k => k.Subject == subject) + 1);
            });
            return (200, JsonSerializer.Serialize(new { id = entry.Id }));
        }
        if (request.HttpMethod == "POST" && Subject().Match(path) is { Success: true } lookUp)
        {
            var subject = Uri.UnescapeDataString(lookUp.Groups[1].Value);
            return _subjects.TryGetValue((subject, schemaText), out var found)
                ? (200, JsonSerializer.Serialize(new { subject, id = found.Id, version = found.Version, schema = schemaText }))
                : (404, """{"error_code":40401,"message":"Subject not found"}""");
        }
        return (404, """{"error_code":404,"message":"no such endpoint"}""");
    }

    private static string ReadSchema(HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream);
        var text = reader.ReadToEnd();
        return text.Length == 0 ? "" : JsonDocument.Parse(text).RootElement.GetProperty("schema").GetString()!;
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    [GeneratedRegex("^/subjects/([^/]+)/versions/latest$")]
    private static partial Regex LatestVersion();

    [GeneratedRegex("^/config/([^/]+)$")]
    private static partial Regex Config();

    [GeneratedRegex("^/schemas/ids/(\\d+)$")]
    private static partial Regex SchemaById();

    [GeneratedRegex("^/subjects/([^/]+)/versions$")]
    private static partial Regex SubjectVersions();

    [GeneratedRegex("^/subjects/([^/]+)$")]
    private static partial Regex Subject();
}
