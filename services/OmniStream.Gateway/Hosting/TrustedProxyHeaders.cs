using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;

namespace OmniStream.Gateway.Hosting;

/// <summary>
/// The caller's address as the configured proxies forward it (<c>X-Forwarded-For</c>): believed from those proxies
/// alone, so that a caller cannot choose the address its rate is counted under.
/// </summary>
public static class TrustedProxyHeaders
{
    /// <summary>Options that take <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> from <paramref name="proxies"/> and no one else (not even loopback).</summary>
    public static ForwardedHeadersOptions Options(IEnumerable<string> proxies)
    {
        ArgumentNullException.ThrowIfNull(proxies);
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }
        return options;
    }
}
