using System.Security.Cryptography;
using OmniStream.ServiceDefaults.Auth;

namespace OmniStream.Testing.Http;

/// <summary>Credentials for the services under test, made up for this test run: an API key with every permission, and a JWT signing key.</summary>
public static class TestCredentials
{
    /// <summary>An API key with every permission.</summary>
    public static string AdminKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A key for HS256 bearer tokens (<c>OmniStream:Auth:Jwt:SigningKey</c>).</summary>
    public static string SigningKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key of the logs' pseudonyms (<c>OmniStream:Audit:PseudonymKey</c>).</summary>
    public static string PseudonymKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key the instances of an application share (<c>OmniStream:Peers:Key</c>).</summary>
    public static string PeerKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The settings that make a service accept <see cref="AdminKey"/> and tokens signed with <see cref="SigningKey"/>.</summary>
    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["OmniStream:Auth:ApiKeys:0:Name"] = "tests",
        ["OmniStream:Auth:ApiKeys:0:Key"] = AdminKey,
        ["OmniStream:Auth:Jwt:SigningKey"] = SigningKey,
        ["OmniStream:Audit:PseudonymKey"] = PseudonymKey,
        ["OmniStream:Peers:Key"] = PeerKey,
    }
    .Concat(Permissions.All.Select((p, i) => KeyValuePair.Create($"OmniStream:Auth:ApiKeys:0:Permissions:{i}", p)))
    .ToDictionary();

    /// <summary>A bearer token for <paramref name="subject"/> with <paramref name="permissions"/>, signed with <see cref="SigningKey"/>.</summary>
    public static string Token(string subject, params string[] permissions) =>
        DevelopmentCredentials.Sign(SigningKey, subject, permissions, "omnistream", TimeSpan.FromHours(1));

    /// <summary>An HTTP client for <paramref name="baseAddress"/> that sends <see cref="AdminKey"/>.</summary>
    public static HttpClient AdminClient(Uri baseAddress)
    {
        var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Add(ApiKeyHandler.Header, AdminKey);
        return http;
    }
}
