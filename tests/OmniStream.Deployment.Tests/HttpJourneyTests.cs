using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using OmniStream.Adapters.Segment;
using OmniStream.Streaming.Hosting;
using OmniStream.Testing;
using OmniStream.Testing.Http;
using OmniStream.Testing.Processes;
using OmniStream.Worker.Definitions;

namespace OmniStream.Deployment.Tests;

/// <summary>
/// A visitor's journey sent over HTTP to a gateway process in front of a worker process, three ways:
/// JSON events posted to <c>/events</c>, and Segment's own libraries from npm, the Node.js library
/// (<c>@segment/analytics-node</c>) from a Node.js process and the browser library
/// (<c>@segment/analytics-next</c>) from a page in a real headless Chromium, on another origin than the
/// gateway (CORS, as on a real site). The journey: a product put in the cart while anonymous, then
/// the login and the consent to marketing (from the browser: through the shop's server, whose source alone may
/// change consent); the customer's view then holds the cart, the visitor's id and the profile, and the idle
/// cart is reminded.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public class HttpJourneyTests
{
    private const string ServerWriteKey = "server-write-key-0123456789";
    private const string BrowserWriteKey = "browser-write-key-0123456789";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly string Clients = Path.Combine(Repository.Root, "tools", "segment-clients");

    private (ServiceProcess Process, Uri Api) _worker;
    private ShopSite _shop = null!;
    private ServiceProcess _gateway = null!;
    private Uri _gatewayUrl = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        if (!Directory.Exists(Path.Combine(Clients, "node_modules", "@segment")))
        {
            Assert.Ignore($"no Segment libraries in {Clients}: run 'npm ci' there (.ci/run does)");
        }
        // The shop's site: another origin than the gateway's, on loopback as the gateway is (Chromium keeps public pages off loopback addresses).
        _shop = await ShopSite.StartAsync(Clients);
        var app = "segment-" + Guid.NewGuid().ToString("N")[..6];
        await OutageTests.CreateTopicsAsync(app);
        var directory = FailureModeTests.Directory("segment");
        _worker = WorkerProcesses.Start("segment-worker", Path.Combine(directory, "worker"), new Dictionary<string, string>
        {
            ["OmniStream:Kafka:BootstrapServers"] = ClusterFixture.Cluster.BootstrapServers,
            ["OmniStream:Stream:ApplicationId"] = app,
            // Long enough for the login and the consent to arrive before the cart is found idle.
            ["OmniStream:Policies:File"] = ShippedPolicies.WriteWithCartIdle(directory, TimeSpan.FromSeconds(5)),
        });
        _gatewayUrl = new Uri(LoopbackPort.FreeUrl());
        var settings = new Dictionary<string, string>(TestCredentials.Settings)
        {
            ["OmniStream:Kafka:BootstrapServers"] = ClusterFixture.Cluster.BootstrapServers,
            ["OmniStream:Gateway:Url"] = _gatewayUrl.ToString().TrimEnd('/'),
            ["OmniStream:Gateway:InstanceId"] = "segment-gateway",
            ["OmniStream:Gateway:GroupId"] = "segment-gateway-" + app,
            ["OmniStream:Segment:Sources:0:Name"] = "shop-server",
            ["OmniStream:Segment:Sources:0:WriteKey"] = ServerWriteKey,
            ["OmniStream:Segment:Sources:0:Channel"] = "WEB",
            ["OmniStream:Segment:Sources:1:Name"] = "shop-web",
            ["OmniStream:Segment:Sources:1:WriteKey"] = BrowserWriteKey,
            ["OmniStream:Segment:Sources:1:Channel"] = "WEB",
            ["OmniStream:Segment:AllowedOrigins:0"] = _shop.Origin,
            // A mapping added by configuration: the site's own consent event, which only its server-side source may send.
            ["OmniStream:Segment:Track:Consent Changed"] = "ConsentChanged",
        };
        foreach (var (payload, i) in SegmentMapping.Payloads.Select((p, i) => (p, i)))
        {
            settings[$"OmniStream:Segment:Sources:0:Payloads:{i}"] = payload;
        }
        _gateway = ServiceProcess.Start("segment-gateway", "omnistream-gateway.dll", Path.Combine(directory, "gateway"), settings);
        using var http = TestCredentials.AdminClient(_worker.Api);
        await OutageTests.WaitHealthyAsync(http, _worker.Process);
        using var gateway = TestCredentials.AdminClient(_gatewayUrl);
        await Wait.UntilAsync(async () => _gateway.HasExited || await HealthyAsync(gateway), Deadline, "the gateway's health");
        Assert.That(_gateway.HasExited, Is.False, _gateway.Output);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_shop is not null)
        {
            await _shop.DisposeAsync();
        }
        if (_gateway is not null)
        {
            Assert.That(await _gateway.StopAsync(Deadline), Is.Zero, _gateway.Output);
            _gateway.Dispose();
        }
        if (_worker.Process is not null)
        {
            Assert.That(await _worker.Process.StopAsync(Deadline), Is.Zero, _worker.Process.Output);
            _worker.Process.Dispose();
        }
    }

    [Test]
    public async Task A_journey_posted_as_json_events_becomes_the_customers_cart_profile_and_reminder()
    {
        var (visitor, customer) = Journey("json");
        string At(int second) => DateTime.UtcNow.AddSeconds(second - 5).ToString("O");
        var events = $$$"""
            [
              {"occurredAt": "{{{At(0)}}}", "channel": "WEB", "subject": {"anonymousId": "{{{visitor}}}"},
               "payload": {"type": "CartUpdated", "cartId": "cart-json", "lines": [{"productId": "sku-boots", "quantity": 1, "unitPrice": 89.9}], "total": 89.9, "currency": "EUR"}},
              {"occurredAt": "{{{At(1)}}}", "channel": "WEB", "subject": {"customerId": "{{{customer}}}", "anonymousId": "{{{visitor}}}"},
               "payload": {"type": "Identified", "anonymousId": "{{{visitor}}}", "customerId": "{{{customer}}}", "method": "login"}},
              {"occurredAt": "{{{At(2)}}}", "channel": "WEB", "subject": {"customerId": "{{{customer}}}"},
               "payload": {"type": "ProfileUpdated", "attributes": {"name": "Anna"} }},
              {"occurredAt": "{{{At(2)}}}", "channel": "WEB", "subject": {"customerId": "{{{customer}}}"},
               "payload": {"type": "ConsentChanged", "purpose": "MARKETING", "consentChannel": "WEB", "granted": true}}
            ]
            """;
        using var http = TestCredentials.AdminClient(_gatewayUrl);

        using var posted = await http.PostAsync("/events", new StringContent(events, System.Text.Encoding.UTF8, "application/json"));
        Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await posted.Content.ReadAsStringAsync());

        AssertJourney(await ReminderAsync(customer, "the reminder of the cart posted as JSON"), visitor);
    }

    [Test]
    public async Task A_journey_sent_by_analytics_node_becomes_the_customers_cart_profile_and_reminder()
    {
        var (visitor, customer) = Journey("node");
        var send = new ProcessStartInfo("node", [Path.Combine(Clients, "send-node.mjs")]) { WorkingDirectory = Clients, RedirectStandardOutput = true, RedirectStandardError = true };
        send.Environment["OMNISTREAM_GATEWAY"] = _gatewayUrl.ToString().TrimEnd('/');
        send.Environment["SEGMENT_WRITE_KEY"] = ServerWriteKey;
        send.Environment["VISITOR"] = visitor;
        send.Environment["CUSTOMER"] = customer;
        using var node = Process.Start(send)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Deadline);
        await node.WaitForExitAsync(timeout.Token);
        Assert.That(node.ExitCode, Is.Zero, await output + await errors);

        var view = await ReminderAsync(customer, "the reminder of the cart sent through analytics-node");
        AssertJourney(view, visitor);
        Assert.That(view.GetProperty("profile").GetProperty("plan").GetString(), Is.EqualTo("gold"), "identify's traits");
    }

    [Test]
    public async Task A_journey_sent_by_analytics_next_from_a_real_browser_becomes_the_customers_cart_and_reminder()
    {
        HeadlessChromium.RequireInstalled();
        var (_, customer) = Journey("browser");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var errors = HeadlessChromium.CollectErrors(page);
        // What the gateway answered each of the library's calls.
        var answers = new List<string>();
        page.Response += (_, response) => { if (response.Url.StartsWith(_gatewayUrl.ToString(), StringComparison.Ordinal)) answers.Add($"{response.Request.Method} {new Uri(response.Url).AbsolutePath} {response.Status}"); };
        page.RequestFailed += (_, request) => answers.Add($"{request.Method} {request.Url} failed: {request.Failure}");
        await page.GotoAsync($"{_shop.Origin}/?gateway={Uri.EscapeDataString(_gatewayUrl.ToString().TrimEnd('/'))}&writeKey={BrowserWriteKey}");

        // Each call resolves once the library has delivered it (or given up: then it says why).
        var delivered = await page.EvaluateAsync<JsonElement>($$"""
            async () => {
              const failed = (ctx) => ctx.failedDelivery() ? String(ctx.failedDelivery().reason) : null;
              const [analytics] = await window.analytics;
              const results = [];
              results.push(failed(await analytics.page('Boots', { path: '/boots' })));
              results.push(failed(await analytics.track('Product Added', { cart_id: 'cart-browser', product_id: 'sku-boots', price: 89.9, quantity: 1, currency: 'EUR' })));
              const visitor = analytics.user().anonymousId();
              results.push(failed(await analytics.identify('{{customer}}', { name: 'Anna' })));
              return { visitor, failures: results.filter(r => r !== null) };
            }
            """);
        // The consent form is posted to the shop's server, which records it through its own source: a browser's write key is
        // public, and its source may not change anyone's consent.
        using (var server = new HttpClient { BaseAddress = _gatewayUrl })
        {
            server.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(ServerWriteKey + ":")));
            var consent = $$$"""{"type": "track", "event": "Consent Changed", "userId": "{{{customer}}}", "properties": {"purpose": "MARKETING", "consent_channel": "WEB", "granted": true}}""";
            using var recorded = await server.PostAsync("/v1/track", new StringContent(consent, System.Text.Encoding.UTF8, "application/json"));
            Assert.That(await recorded.Content.ReadAsStringAsync(), Does.Contain("\"rejected\":[]"), "the server's source records the consent");
        }
        Assert.That(delivered.GetProperty("failures").GetArrayLength(), Is.Zero, delivered.ToString());
        Assert.That(errors, Is.Empty, "no script errors in the page, no call refused by the browser");
        Assert.That(answers.Where(a => a.StartsWith("POST", StringComparison.Ordinal)), Is.EqualTo(new[] { "POST /v1/p 200", "POST /v1/t 200", "POST /v1/i 200" }),
            "each call posted once, from another origin (its preflight passed), and answered 200");

        var view = await ReminderAsync(customer, "the reminder of the cart sent through analytics-next");
        AssertJourney(view, delivered.GetProperty("visitor").GetString()!);
    }

    private static (string Visitor, string Customer) Journey(string library)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        return ($"cookie-{library}-{id}", $"anna-{library}-{id}");
    }

    private async Task<JsonElement> ReminderAsync(string customer, string what)
    {
        using var http = TestCredentials.AdminClient(_worker.Api);
        JsonElement view = default;
        await Wait.UntilAsync(async () =>
        {
            Assert.That(_worker.Process.HasExited || _gateway.HasExited, Is.False, _worker.Process.Output + _gateway.Output);
            using var response = await http.GetAsync($"/customers/{customer}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }
            view = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            return view.GetProperty("actions").EnumerateArray().Any(a => a.GetProperty("type").GetString() == "CART_REMINDER");
        }, Deadline, () => $"{what}; the customer's view: {(view.ValueKind == JsonValueKind.Undefined ? "none" : view.ToString())}");
        return view;
    }

    private static void AssertJourney(JsonElement view, string visitor)
    {
        var cart = view.GetProperty("cart");
        Assert.Multiple(() =>
        {
            Assert.That(view.GetProperty("linkedIds").EnumerateArray().Select(i => i.GetString()), Does.Contain(visitor), "the visitor tied to the customer");
            Assert.That(cart.GetProperty("lines")[0].GetProperty("productId").GetString(), Is.EqualTo("sku-boots"), "the visitor's cart is the customer's");
            Assert.That(cart.GetProperty("total").GetDecimal(), Is.EqualTo(89.9m));
            Assert.That(view.GetProperty("profile").GetProperty("name").GetString(), Is.EqualTo("Anna"));
        });
    }

    private static async Task<bool> HealthyAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync("/health");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
