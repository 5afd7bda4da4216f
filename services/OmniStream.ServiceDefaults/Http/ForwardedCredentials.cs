using Microsoft.AspNetCore.Http;
using OmniStream.ServiceDefaults.Auth;

namespace OmniStream.ServiceDefaults.Http;

/// <summary>
/// A request one instance makes to another on a caller's behalf carries the caller's own
/// credentials: the other instance authenticates and authorizes it as it would the caller, so
/// being "internal" grants nothing.
/// </summary>
public static class ForwardedCredentials
{
    /// <summary>Copies the caller's bearer token or API key from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static void CopyTo(HttpRequest from, HttpRequestMessage to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        foreach (var header in new[] { "Authorization", ApiKeyHandler.Header })
        {
            if (from.Headers.TryGetValue(header, out var value) && value.Count > 0)
            {
                to.Headers.TryAddWithoutValidation(header, value.ToString());
            }
        }
    }
}
