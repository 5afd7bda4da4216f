using System.Net;
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

/// <summary><c>POST /events</c> over real HTTP to the embedded cluster: what is valid is published, what is not is named.</summary>
public class EventIngestionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Test]
    public async Task A_batch_publishes_its_valid_events_with_ids_and_names_the_field_of_the_wrong_one()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        using var http = gateway.Http;
        using var web = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.Interactions(Channel.WEB).Name]);
        var customer = "http-" + Guid.NewGuid().ToString("N")[..8];
        var ownId = Guid.NewGuid();
        var batch = $$$"""
            [
              {"eventId": "{{{ownId}}}", "occurredAt": "2026-11-30T10:00:00Z", "channel": "WEB", "subject": {"customerId": "{{{customer}}}"},
               "payload": {"type": "PageViewed", "location": "/home"}},
              {"occurredAt": "2026-11-30T10:00:01Z", "channel": "WEB", "subject": {"customerId": "{{{customer}}}"},
               "payload": {"type": "CartUpdated", "cartId": "c-1", "lines": [{"productId": "sku-1", "quantity": 1, "unitPrice": 19.99}], "total": 19.99, "currency": "EUR"}},
              {"occurredAt": "2026-11-30T10:00:02Z", "channel": "WEB", "subject": {"customerId": "{{{customer}}}"},
               "payload": {"type": "CartUpdated", "cartId": "c-1", "lines": [{"productId": "sku-1", "quantity": "one", "unitPrice": 19.99}], "total": 19.99, "currency": "EUR"}}
            ]
            """;

        using var badRows = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.BadRows.Name]);

        using var response = await http.PostAsync("/events", new StringContent(batch, Encoding.UTF8, "application/json"));
        var answer = (await response.Content.ReadFromJsonAsync<EventsAnswer>(Web))!;
        var kept = (await badRows.ReadUntilAsync(r => r.Any(m => Encoding.UTF8.GetString(m.Message.Value).Contains(customer, StringComparison.Ordinal)), Deadline, "the bad row"))
            .Single(m => Encoding.UTF8.GetString(m.Message.Value).Contains(customer, StringComparison.Ordinal));
        using var posted = JsonDocument.Parse(batch);
        var published = await web.InteractionsForAsync(customer, 2, Deadline, "the two valid events");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(answer.Accepted.Select(a => a.Index), Is.EqualTo(new[] { 0, 1 }));
            Assert.That(answer.Accepted[0].EventId, Is.EqualTo(ownId), "an event's own id is kept");
            Assert.That(answer.Accepted[1].EventId, Is.Not.EqualTo(Guid.Empty), "an id is assigned when none is given");
            Assert.That(answer.Rejected.Single().Index, Is.EqualTo(2));
            Assert.That(answer.Rejected.Single().Error, Does.StartWith("payload.lines[0].quantity must be an integer, not a string"));
            Assert.That(Encoding.UTF8.GetString(kept.Message.Value), Is.EqualTo(posted.RootElement[2].GetRawText()), "the refused event kept untouched");
            Assert.That(BadRows.Read(kept.Message.Headers)?.Reason, Is.EqualTo(answer.Rejected.Single().Error), "with its reason");
            Assert.That(published.Select(e => e.eventId), Is.EquivalentTo(answer.Accepted.Select(a => a.EventId)), "exactly the accepted events reached the topic");
            Assert.That(published.Select(e => e.receivedAt), Is.All.GreaterThan(DateTime.UtcNow.AddMinutes(-5)), "with their receipt time");
            Assert.That(((CartUpdated)published.Single(e => e.payload is CartUpdated).payload).total, Is.EqualTo(Amount.Of(19.99m)));
        });
    }

    [Test]
    public async Task An_erasure_request_posted_as_an_event_is_refused_and_kept_aside_and_reaches_no_topic()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        using var http = gateway.Http;
        using var web = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.Interactions(Channel.WEB).Name, TopicCatalog.PrivacyRequests.Name]);
        using var badRows = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.BadRows.Name]);
        var customer = "victim-" + Guid.NewGuid().ToString("N")[..8];
        // With events:write alone, as any channel backend or browser source holds it.
        var batch = $$$"""
            [
              {"occurredAt": "2026-11-30T10:00:00Z", "channel": "WEB", "subject": {"customerId": "{{{customer}}}"},
               "payload": {"type": "ErasureRequested", "requestId": "forged", "reason": "an attacker's request"}},
              {"occurredAt": "2026-11-30T10:00:01Z", "channel": "WEB", "subject": {"customerId": "{{{customer}}}"},
               "payload": {"type": "PageViewed", "location": "/after"}}
            ]
            """;

        using var response = await http.PostAsync("/events", new StringContent(batch, Encoding.UTF8, "application/json"));
        var answer = (await response.Content.ReadFromJsonAsync<EventsAnswer>(Web))!;
        var kept = (await badRows.ReadUntilAsync(r => r.Any(m => Encoding.UTF8.GetString(m.Message.Value).Contains(customer, StringComparison.Ordinal)), Deadline, "the bad row"))
            .Single(m => Encoding.UTF8.GetString(m.Message.Value).Contains(customer, StringComparison.Ordinal));
        // The page view posted after it arrived: the erasure request, had it been published, came before it.
        var published = await web.InteractionsForAsync(customer, 1, Deadline, "the page view");

        Assert.Multiple(() =>
        {
            Assert.That(answer.Rejected.Single().Index, Is.EqualTo(0));
            Assert.That(answer.Rejected.Single().Error, Does.Contain("POST /privacy/erasure/{id}").And.Contain("privacy:erase"));
            Assert.That(BadRows.Read(kept.Message.Headers)?.Reason, Is.EqualTo(answer.Rejected.Single().Error), "kept with its reason");
            Assert.That(published.Select(e => e.payload), Has.None.InstanceOf<ErasureRequested>(), "no erasure request on any topic");
            Assert.That(published.Single().payload, Is.InstanceOf<PageViewed>());
        });
    }

    [Test]
    public async Task An_event_from_the_future_is_refused_naming_its_time_and_kept_aside()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        using var badRows = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.BadRows.Name]);
        var customer = "future-" + Guid.NewGuid().ToString("N")[..8];
        var event2099 = $$$"""{"occurredAt": "2099-01-01T00:00:00Z", "channel": "WEB", "subject": {"customerId": "{{{customer}}}"}, "payload": {"type": "PageViewed", "location": "/"}}""";

        var (status, answer) = await gateway.PostJsonAsync("/events", $"[{event2099}]");
        var kept = await badRows.ReadUntilAsync(r => r.Any(m => Encoding.UTF8.GetString(m.Message.Value).Contains(customer, StringComparison.Ordinal)), Deadline, "the bad row");

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(answer, Does.Contain("occurredAt 2099-01-01T00:00:00").And.Contain("at most 5 minutes ahead"));
        Assert.That(kept, Is.Not.Empty);
    }

    [TestCase("not json", "the body is not JSON")]
    [TestCase("[]", "the batch is empty")]
    [TestCase("""{"channel": "WEB"}""", "occurredAt is required")]
    public async Task A_request_with_nothing_valid_is_answered_400_saying_why(string body, string error)
    {
        await using var gateway = await GatewayHarness.StartAsync();

        var (status, answer) = await gateway.PostJsonAsync("/events", body);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(answer, Does.Contain(error));
    }

    [Test]
    public async Task Batches_are_bounded_and_each_client_is_held_to_its_rate()
    {
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["OmniStream:Gateway:MaxEventsPerRequest"] = "2",
            ["OmniStream:Gateway:EventsPerSecondPerClient"] = "2",
        });
        using var http = gateway.Http;
        const string one = """{"occurredAt": "2026-11-30T10:00:00Z", "channel": "STORE", "subject": {"customerId": "rate-1"}, "payload": {"type": "StoreVisited", "storeId": "s-1", "appInstalled": false}}""";

        using var tooMany = await http.PostAsync("/events", new StringContent($"[{one},{one},{one}]", Encoding.UTF8, "application/json"));
        var statuses = new List<HttpResponseMessage>();
        // The bucket holds 2 events and refills 2 a second: ten requests of 2 in a row cannot all pass.
        for (var i = 0; i < 10; i++)
        {
            statuses.Add(await http.PostAsync("/events", new StringContent($"[{one},{one}]", Encoding.UTF8, "application/json")));
        }
        var limited = statuses.FirstOrDefault(s => s.StatusCode == HttpStatusCode.TooManyRequests);

        Assert.That(tooMany.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await tooMany.Content.ReadAsStringAsync(), Does.Contain("the batch has 3 events; at most 2"));
        Assert.That(statuses[0].StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(limited, Is.Not.Null, "a request past the rate is refused");
        Assert.That(limited!.Headers.RetryAfter, Is.Not.Null);
        Assert.That(await limited.Content.ReadAsStringAsync(), Does.Contain("EventsPerSecondPerClient"));
        statuses.ForEach(s => s.Dispose());
    }
}
