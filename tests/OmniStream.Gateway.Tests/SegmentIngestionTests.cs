using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OmniStream.Adapters.Json;
using OmniStream.Channels.Topics;
using OmniStream.Gateway.Ingestion;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing.Kafka;

namespace OmniStream.Gateway.Tests;

/// <summary>Segment's tracking API over real HTTP to the embedded cluster: write keys, batches, what is refused, browsers' preflights.</summary>
public class SegmentIngestionTests
{
    private const string WriteKey = "shop-write-key-0123456789";
    private const string ShopOrigin = "https://shop.example";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly Dictionary<string, string?> Segment = new()
    {
        ["OmniStream:Segment:Sources:0:Name"] = "shop",
        ["OmniStream:Segment:Sources:0:WriteKey"] = WriteKey,
        ["OmniStream:Segment:Sources:0:Channel"] = "WEB",
        ["OmniStream:Segment:AllowedOrigins:0"] = ShopOrigin,
        ["OmniStream:Segment:Unmapped"] = "SetAside",
    };

    [Test]
    public async Task One_address_cannot_spend_its_sources_whole_budget()
    {
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?>(Segment)
        {
            ["OmniStream:Gateway:MaxEventsPerRequest"] = "2",
            ["OmniStream:Gateway:EventsPerSecondPerAddress"] = "2",
            ["OmniStream:Gateway:TrustedProxies:0"] = "127.0.0.1",
        });
        using var http = SegmentClient(gateway, WriteKey);
        const string Page = """{"type": "page", "anonymousId": "visitor-rate", "properties": {"path": "/"}}""";
        var batch = $$"""{"batch": [{{Page}}, {{Page}}]}""";

        async Task<HttpResponseMessage> FromAsync(string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = new StringContent(batch, Encoding.UTF8, "text/plain") };
            request.Headers.Add("X-Forwarded-For", address);
            return await http.SendAsync(request);
        }
        // The address's bucket holds 2 events and refills 2 a second: ten requests of 2 in a row cannot all pass.
        var flood = new List<HttpResponseMessage>();
        for (var i = 0; i < 10; i++)
        {
            flood.Add(await FromAsync("203.0.113.5"));
        }
        using var neighbour = await FromAsync("203.0.113.6");
        var limited = flood.FirstOrDefault(r => r.StatusCode == HttpStatusCode.TooManyRequests);

        Assert.That(limited, Is.Not.Null, "the flooding address is held to its rate");
        Assert.That(await limited!.Content.ReadAsStringAsync(), Does.Contain("EventsPerSecondPerAddress"));
        Assert.That(neighbour.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another visitor of the same site still gets through");
        flood.ForEach(r => r.Dispose());
    }

    [Test]
    public async Task A_browser_source_may_not_change_anyones_consent_unless_its_settings_allow_it()
    {
        // The mapping an operator may well write: with the source's public write key, anyone could change any customer's consent.
        var consentMapped = new Dictionary<string, string?>(Segment) { ["OmniStream:Segment:Track:Consent Changed"] = "ConsentChanged" };
        var victim = "victim-" + Guid.NewGuid().ToString("N")[..8];
        var withdrawal = $$$"""
            {"type": "track", "event": "Consent Changed", "userId": "{{{victim}}}", "messageId": "{{{victim}}}-consent",
             "properties": {"purpose": "MARKETING", "consent_channel": "EMAIL", "granted": false}}
            """;
        using var web = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.Interactions(Channel.WEB).Name]);
        using var badRows = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.BadRows.Name]);

        (HttpStatusCode Status, EventsAnswer Answer, string Body) refused;
        await using (var gateway = await GatewayHarness.StartAsync(consentMapped))
        {
            using var http = SegmentClient(gateway, WriteKey);
            refused = await PostAsync(http, "/v1/track", withdrawal);
        }
        var kept = await badRows.ReadUntilAsync(r => r.Any(m => Encoding.UTF8.GetString(m.Message.Value).Contains(victim, StringComparison.Ordinal)), Deadline, "the bad row");
        (HttpStatusCode Status, EventsAnswer Answer, string Body) allowed;
        await using (var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?>(consentMapped) { ["OmniStream:Segment:Sources:0:Payloads:0"] = "ConsentChanged" }))
        {
            using var http = SegmentClient(gateway, WriteKey);
            allowed = await PostAsync(http, "/v1/track", withdrawal);
        }
        var published = await web.InteractionsForAsync(victim, 1, Deadline, "the allowed consent change");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Answer.Accepted, Is.Empty);
            Assert.That(refused.Answer.Rejected.Single().Error, Does.Contain("ConsentChanged, which source 'shop' may not send"));
            Assert.That(BadRows.Read(kept.First(m => Encoding.UTF8.GetString(m.Message.Value).Contains(victim, StringComparison.Ordinal)).Message.Headers)?.Reason,
                Is.EqualTo(refused.Answer.Rejected.Single().Error), "kept aside with its reason");
            Assert.That(allowed.Answer.Accepted, Has.Count.EqualTo(1), "a source whose settings allow it");
            Assert.That(published.Single().payload, Is.InstanceOf<ConsentChanged>(), "only the allowed one published");
        });
    }

    [Test]
    public async Task A_batch_sent_twice_publishes_the_same_events_on_the_sources_channel_and_keeps_the_unmapped_call_aside()
    {
        await using var gateway = await GatewayHarness.StartAsync(Segment);
        using var http = SegmentClient(gateway, WriteKey);
        using var web = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.Interactions(Channel.WEB).Name]);
        using var badRows = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.BadRows.Name]);
        var visitor = "cookie-" + Guid.NewGuid().ToString("N")[..8];
        var batch = $$$"""
            {"batch": [
              {"type": "page", "anonymousId": "{{{visitor}}}", "messageId": "m-1", "timestamp": "2026-11-30T10:00:00Z", "properties": {"path": "/shoes"}},
              {"type": "track", "event": "Product Added", "anonymousId": "{{{visitor}}}", "messageId": "m-2", "timestamp": "2026-11-30T10:00:01Z",
               "properties": {"cart_id": "c-1", "product_id": "sku-1", "price": 19.99}},
              {"type": "track", "event": "Video Played", "anonymousId": "{{{visitor}}}", "messageId": "m-3"}
            ], "sentAt": "2026-11-30T10:00:02Z"}
            """;

        var first = await PostAsync(http, "/v1/batch", batch);
        var again = await PostAsync(http, "/v1/batch", batch);
        var published = await web.InteractionsForAsync(visitor, 4, Deadline, "both copies of the two events");
        var kept = (await badRows.ReadUntilAsync(r => r.Any(m => Encoding.UTF8.GetString(m.Message.Value).Contains(visitor, StringComparison.Ordinal)), Deadline, "the bad row"))
            .First(m => Encoding.UTF8.GetString(m.Message.Value).Contains(visitor, StringComparison.Ordinal));
        using var posted = JsonDocument.Parse(batch);
        using var operations = gateway.Http;
        var metrics = await operations.GetStringAsync("/metrics");

        Assert.Multiple(() =>
        {
            Assert.That(metrics, Does.Match("""omnistream_gateway_messages_ingested_total\{[^}]*result="rejected",source="segment:shop"[^}]*\} 2"""), "both copies of the unmapped call counted");
            Assert.That(first.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(first.Answer.Accepted.Select(a => a.Index), Is.EqualTo(new[] { 0, 1 }));
            Assert.That(first.Answer.Rejected.Single().Error, Is.EqualTo("event 'Video Played' has no mapping (OmniStream:Segment:Track)"));
            Assert.That(again.Answer.Accepted.Select(a => a.EventId), Is.EqualTo(first.Answer.Accepted.Select(a => a.EventId)), "a batch sent again makes the same ids");
            Assert.That(published.Select(e => e.payload.GetType().Name).Distinct(), Is.EquivalentTo(new[] { "PageViewed", "CartUpdated" }));
            Assert.That(published.Select(e => e.eventId).Distinct(), Is.EquivalentTo(first.Answer.Accepted.Select(a => a.EventId)), "the copies carry the same ids: the worker keeps one");
            Assert.That(published.Select(e => e.channel), Is.All.EqualTo(Channel.WEB));
            Assert.That(Encoding.UTF8.GetString(kept.Message.Value), Is.EqualTo(posted.RootElement.GetProperty("batch")[2].GetRawText()), "the refused call kept untouched");
            Assert.That(kept.Message.Headers.GetLastBytes(BadRows.SourceHeader), Is.EqualTo(Encoding.UTF8.GetBytes("segment:shop")));
        });
    }

    [Test]
    public async Task Without_a_sources_write_key_401_and_the_key_is_also_taken_from_the_body()
    {
        await using var gateway = await GatewayHarness.StartAsync(Segment);
        using var wrong = SegmentClient(gateway, "not-the-write-key-at-all");
        using var none = new HttpClient { BaseAddress = gateway.Url };
        const string Page = """{"userId": "anna", "properties": {"path": "/"}}""";

        var refused = await PostAsync(wrong, "/v1/page", Page);
        var anonymous = await PostAsync(none, "/v1/page", Page);
        var inBody = await PostAsync(none, "/v1/p", $$$"""{"writeKey": "{{{WriteKey}}}", "userId": "anna", "properties": {"path": "/"}}""");
        using var right = SegmentClient(gateway, WriteKey);
        var unknown = await PostAsync(right, "/v1/shout", Page);

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(anonymous.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(anonymous.Body, Does.Contain("no source's write key"));
            Assert.That(inBody.Status, Is.EqualTo(HttpStatusCode.OK), inBody.Body);
            Assert.That(inBody.Answer.Accepted, Has.Count.EqualTo(1));
            Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task A_browser_on_an_allowed_origin_passes_the_preflight_and_others_do_not()
    {
        await using var gateway = await GatewayHarness.StartAsync(Segment);
        using var http = new HttpClient { BaseAddress = gateway.Url };

        async Task<HttpResponseMessage> PreflightAsync(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/v1/t");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
            return await http.SendAsync(request);
        }
        using var allowed = await PreflightAsync(ShopOrigin);
        using var other = await PreflightAsync("https://elsewhere.example");

        Assert.Multiple(() =>
        {
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(allowed.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { ShopOrigin }));
            Assert.That(string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Headers")), Does.Contain("Authorization").IgnoreCase);
            Assert.That(other.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        });
    }

    [Test]
    public async Task Without_sources_there_are_no_segment_endpoints()
    {
        await using var gateway = await GatewayHarness.StartAsync();

        using var http = SegmentClient(gateway, WriteKey);
        var answer = await PostAsync(http, "/v1/batch", """{"batch": []}""");

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    // As Segment's libraries send: the write key as the Basic user name, the body as text/plain (browsers) or JSON.
    private static HttpClient SegmentClient(GatewayHarness gateway, string writeKey) => new()
    {
        BaseAddress = gateway.Url,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":"))) },
    };

    private static async Task<(HttpStatusCode Status, EventsAnswer Answer, string Body)> PostAsync(HttpClient http, string path, string body)
    {
        using var response = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "text/plain"));
        var text = await response.Content.ReadAsStringAsync();
        var answer = response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable
            ? JsonSerializer.Deserialize<EventsAnswer>(text, Web)!
            : new EventsAnswer([], [], []);
        return (response.StatusCode, answer, text);
    }
}
