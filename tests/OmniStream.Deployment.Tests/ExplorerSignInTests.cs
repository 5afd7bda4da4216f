using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OmniStream.Channels.Publishing;
using OmniStream.Kafka;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.Testing;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Http;
using OmniStream.Testing.Kafka;
using OmniStream.Testing.Processes;
using OmniStream.Worker.Explorer;

namespace OmniStream.Deployment.Tests;

/// <summary>
/// Signing in to the explorer through an OpenID Connect provider (oauth2-mock-server from npm, on its own port), the one
/// whose tokens the worker's API accepts: the browser goes through the provider's authorization code flow and comes back
/// with a session that lasts no longer than configured; the API takes the provider's access tokens as bearer tokens;
/// signing out ends the session.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public class ExplorerSignInTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly string Provider = Path.Combine(Repository.Root, "tools", "oidc-provider");
    // An address reached is enough: what follows waits for the page's own elements (a page that navigates again as it loads,
    // as the explorer's pages may, need not fire the load event Playwright waits for by default).
    private static readonly PageWaitForURLOptions Committed = new() { Timeout = (float)Deadline.TotalMilliseconds, WaitUntil = WaitUntilState.Commit };

    [Test]
    public async Task Staff_sign_in_through_the_identity_provider_and_the_session_expires_and_ends_as_configured()
    {
        HeadlessChromium.RequireInstalled();
        if (!Directory.Exists(Path.Combine(Provider, "node_modules")))
        {
            Assert.Ignore($"run 'npm ci' in {Provider} (.ci/run does)");
        }
        using var provider = ServiceProcess.StartCommand("oidc-provider", "node", ["serve.mjs", "0", "customers:read,kpis:read", "agent@example.com"], Provider,
            new Dictionary<string, string>());
        var issuer = (await provider.WaitForLineAsync(l => l.StartsWith("issuer ", StringComparison.Ordinal), Deadline, "the provider listening"))["issuer ".Length..];
        var app = "sign-in-" + Guid.NewGuid().ToString("N")[..6];
        await OutageTests.CreateTopicsAsync(app);
        var (worker, api) = WorkerProcesses.Start(app, FailureModeTests.Directory(app), ShortSessions.With(new Dictionary<string, string>
        {
            ["OmniStream:Kafka:BootstrapServers"] = ClusterFixture.Cluster.BootstrapServers,
            ["OmniStream:Stream:ApplicationId"] = app,
            // Tokens from the identity provider only (the tests' shared key set aside).
            ["OmniStream:Auth:Jwt:SigningKey"] = "",
            ["OmniStream:Auth:Jwt:Authority"] = issuer,
            ["OmniStream:Auth:Jwt:RequireHttpsMetadata"] = "false",
            ["OmniStream:Explorer:Oidc:ClientId"] = "omnistream-explorer",
            ["OmniStream:Explorer:SessionLifetime"] = "00:10:00",
        }));
        try
        {
            using var admin = TestCredentials.AdminClient(api);
            await OutageTests.WaitHealthyAsync(admin, worker);
            var customer = $"{app}-dana";
            using (var publisher = new ChannelPublisher(new KafkaOptions { BootstrapServers = ClusterFixture.Cluster.BootstrapServers },
                new AvroSerde<InteractionEvent>(SchemaCatalog.Default)))
            {
                await publisher.PublishAsync(new Interactions(customer, DateTime.UtcNow).StoreVisited("store-3"));
            }
            await Wait.UntilAsync(async () => (await admin.GetAsync($"/customers/{customer}")).IsSuccessStatusCode, Deadline, "the customer's view");

            // The provider's access token is a bearer token the API accepts.
            using (var http = new HttpClient())
            {
                using var grant = await http.PostAsync($"{issuer}/token", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials", ["client_id"] = "call-center", ["scope"] = "customers",
                }));
                var accessToken = JsonDocument.Parse(await grant.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api, $"/customers/{customer}")) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", accessToken) } };
                Assert.That((await http.SendAsync(request)).IsSuccessStatusCode, Is.True, "the provider's access token on the API");
            }

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await HeadlessChromium.LaunchAsync(playwright);
            await using var context = await browser.NewContextAsync();
            var page = await context.NewPageAsync();
            var errors = HeadlessChromium.CollectErrors(page, text => text.Contains("status of 404", StringComparison.Ordinal));
            await page.GotoAsync(new Uri(api, "/explorer").ToString());
            await page.WaitForURLAsync(new Regex("/explorer/sign-in$"), new() { Timeout = (float)Deadline.TotalMilliseconds });
            var callback = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#provider", new() { Timeout = (float)Deadline.TotalMilliseconds }),
                response => response.Url.Contains(ExplorerSignIn.CallbackPath, StringComparison.Ordinal), new() { Timeout = (float)Deadline.TotalMilliseconds });
            var setCookie = (await callback.AllHeadersAsync()).GetValueOrDefault("set-cookie") ?? "";
            // Back on the explorer (its address is enough: the lookup below waits for the page); a failure says where the browser
            // is and what the sign-in page says (a refusal's reason).
            try
            {
                await page.WaitForURLAsync(new Uri(api, "/explorer").ToString(), Committed);
            }
            catch (TimeoutException)
            {
                var said = page.Url.Contains("/sign-in", StringComparison.Ordinal) ? await page.TextContentAsync("#status") : "";
                Assert.Fail($"the browser stayed at {page.Url} ({said}); the callback answered {callback.Status}\n{worker.Output}");
            }

            await page.FillAsync("#lookup-id", customer);
            await page.PressAsync("#lookup-id", "Enter");
            await page.WaitForFunctionAsync($"() => document.getElementById('customer-title').textContent === 'Customer {customer}'", null,
                new() { Timeout = (float)Deadline.TotalMilliseconds });
            var session = (await context.CookiesAsync()).Single(c => c.Name == SessionCookie.Name);
            Assert.That(session.HttpOnly, Is.True);
            Assert.That(session.SameSite, Is.EqualTo(SameSiteAttribute.Strict));
            // The configured 10 minutes, shorter than the provider's token (1 h): a Max-Age, which the browser counts from receipt.
            var maxAge = int.Parse(Regex.Match(setCookie, $"{SessionCookie.Name}=[^;]*;.*max-age=(\\d+)", RegexOptions.IgnoreCase).Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.That(maxAge, Is.InRange(595, 600), setCookie);
            Assert.That(worker.Stdout, Has.Some.Contains("audit session.open by=agent@example.com"));

            await page.ClickAsync("#sign-out");
            await page.WaitForURLAsync(new Regex("/explorer/sign-in"), Committed);
            Assert.That((await context.CookiesAsync()).Where(c => c.Name == SessionCookie.Name), Is.Empty, "signed out");
            Assert.That(errors, Is.Empty);
        }
        finally
        {
            Assert.That(await worker.StopAsync(Deadline), Is.Zero, worker.Output);
            worker.Dispose();
            await provider.StopAsync(Deadline);
        }
    }
}
