using Microsoft.AspNetCore.Http;

namespace OmniStream.ServiceDefaults.Auth;

/// <summary>
/// A browser's session: the bearer token it signed in with, kept in an HttpOnly, SameSite=Strict cookie, so that pages
/// of the service (the customer explorer) read the API without script ever holding the token. The cookie is checked as
/// the token itself would be (signature, issuer, audience, lifetime), on any instance. It belongs to the pages' own
/// paths (<see cref="Path"/>: the browser sends it nowhere else, and it counts nowhere else) and counts for GET and HEAD
/// requests only, so that a signed-in browser can be made to change nothing, nor to read the rest of the API.
/// </summary>
public static class SessionCookie
{
    /// <summary>The cookie's name.</summary>
    public const string Name = "omnistream-session";

    /// <summary>The paths the cookie is sent to and counts on: the explorer's page and the API routes it reads (<c>/explorer/api/...</c>).</summary>
    public const string Path = "/explorer";

    /// <summary>True when <paramref name="request"/> may authenticate with its session cookie, and has one.</summary>
    public static bool Carries(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path.StartsWithSegments(Path, StringComparison.Ordinal)
            && request.Cookies.ContainsKey(Name);
    }

    /// <summary>The token in <paramref name="request"/>'s session cookie, when it may authenticate with it.</summary>
    public static string? TokenOf(HttpRequest request) =>
        Carries(request) && request.Cookies.TryGetValue(Name, out var token) && !string.IsNullOrEmpty(token) ? token : null;

    /// <summary>
    /// Opens a session with <paramref name="token"/> for <paramref name="lifetime"/> (a Max-Age: the browser counts it from
    /// when it gets the cookie, whatever its clock says); secure when the request came over HTTPS.
    /// </summary>
    public static void Write(HttpContext context, string token, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = Options(context);
        options.MaxAge = lifetime;
        context.Response.Cookies.Append(Name, token, options);
    }

    /// <summary>Ends the session.</summary>
    public static void Delete(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Delete(Name, Options(context));
    }

    private static CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = Path,
        IsEssential = true,
    };
}
