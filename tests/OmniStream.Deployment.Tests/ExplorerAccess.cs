using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.Testing.Http;

namespace OmniStream.Deployment.Tests;

/// <summary>Who gets into the customer explorer and its API, asked over plain HTTP (the browser test's first checks).</summary>
internal static class ExplorerAccess
{
    /// <summary>
    /// Without a session a browser is sent to sign in and the API answers 401; without <c>customers:read</c>, 403; a token
    /// opens a session no longer than it lives; a session cookie reads the explorer's routes and nothing else.
    /// </summary>
    public static async Task AssertWhoGetsInAsync(Uri api, string customer)
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api };
        using (var page = await anonymous.GetAsync("/explorer"))
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "a browser without a session is sent to sign in");
            Assert.That(page.Headers.Location?.ToString(), Is.EqualTo("/explorer/sign-in"));
        }
        Assert.That((await anonymous.GetAsync($"/customers/{customer}")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var kpisOnly = TestCredentials.Token("kpis-only", Permissions.KpisRead);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/explorer") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", kpisOnly) } };
        Assert.That((await anonymous.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "without customers:read");
        using var session = new HttpRequestMessage(HttpMethod.Post, "/explorer/session") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", kpisOnly) } };
        Assert.That((await anonymous.SendAsync(session)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "no session without customers:read");
        // A token opens a session for no longer than it lives itself (1 h here, under the default 8 h), in an HttpOnly, SameSite=Strict cookie.
        using var opening = new HttpRequestMessage(HttpMethod.Post, "/explorer/session")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", TestCredentials.Token("opener", Permissions.CustomersRead)) },
        };
        using var opened = await anonymous.SendAsync(opening);
        var cookie = opened.Headers.GetValues("Set-Cookie").Single();
        Assert.That(opened.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(int.Parse(Regex.Match(cookie, "max-age=(\\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.InRange(3500, 3600), cookie);
        Assert.That(cookie, Does.Contain("httponly").And.Contain("samesite=strict"));
        Assert.That(cookie, Does.Contain("path=/explorer;"), "the browser sends it to the explorer's paths only");
        // A session counts for reading the explorer's own routes: not for a change, not for the rest of the API, whatever its token allows.
        var everything = $"{SessionCookie.Name}={TestCredentials.Token("cookie", [.. Permissions.All])}";
        foreach (var (method, path, expected) in new[]
        {
            (HttpMethod.Get, $"/explorer/api/customers/{customer}", HttpStatusCode.OK),
            (HttpMethod.Post, $"/privacy/erasure/{customer}", HttpStatusCode.Unauthorized),
            (HttpMethod.Get, $"/privacy/export/{customer}", HttpStatusCode.Unauthorized),
            (HttpMethod.Get, $"/customers/{customer}", HttpStatusCode.Unauthorized),
        })
        {
            using var withCookie = new HttpRequestMessage(method, path);
            withCookie.Headers.Add("Cookie", everything);
            Assert.That((await anonymous.SendAsync(withCookie)).StatusCode, Is.EqualTo(expected), $"{method} {path} with a session cookie");
        }
    }
}
