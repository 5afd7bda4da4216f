using System.Text;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Kafka;

namespace OmniStream.Worker.Tests;

/// <summary>Channel publisher → worker → omni.actions.{channel}, through a real cluster.</summary>
public class CartReminderFlowTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static TopicReader ReadActions() =>
        new(KafkaFixture.Cluster.BootstrapServers, TopicCatalog.AllActions.Select(t => t.Name));

    private static async Task<List<NextBestAction>> ActionsFor(IEnumerable<Confluent.Kafka.ConsumeResult<byte[], byte[]>> records, string customerId)
    {
        var actions = new List<NextBestAction>();
        foreach (var record in records.Where(r => Encoding.UTF8.GetString(r.Message.Key) == customerId))
        {
            actions.Add(await WorkerHarness.Actions.DeserializeAsync(record.Message.Value));
        }
        return actions;
    }

    private static bool HasKey(IEnumerable<Confluent.Kafka.ConsumeResult<byte[], byte[]>> records, string key) =>
        records.Any(r => Encoding.UTF8.GetString(r.Message.Key) == key);

    [Test]
    public async Task A_cart_left_on_the_web_is_reminded_in_the_app_where_the_customer_is_now()
    {
        // Long enough for both events (on two topics) to be read before the reminder is due.
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromSeconds(3));
        var anna = new Interactions("anna-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        using var reader = ReadActions();

        await worker.GrantMarketingAsync(anna);
        await worker.Publisher.PublishAsync(anna.CartUpdated(Channel.WEB, ("sku-1", 2, 10m)));
        await worker.Publisher.PublishAsync(anna.After(TimeSpan.FromMilliseconds(10)).AppOpened());
        var records = await reader.ReadUntilAsync(r => HasKey(r, anna.CustomerId), Deadline, "the cart reminder");

        var action = (await ActionsFor(records, anna.CustomerId)).Single();
        Assert.That(records.Single(r => HasKey([r], anna.CustomerId)).Topic, Is.EqualTo(TopicCatalog.Actions(Channel.MOBILE_APP).Name));
        Assert.That(action.actionType, Is.EqualTo(ActionType.CART_REMINDER));
        Assert.That(action.channel, Is.EqualTo(Channel.MOBILE_APP));
        Assert.That(action.reasonCodes, Does.Contain("CART_IDLE"));
        Assert.That(action.parameters["lines"], Is.EqualTo("sku-1x2"));
    }

    [Test]
    public async Task A_cart_that_was_ordered_gets_no_reminder()
    {
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromMilliseconds(500));
        var buyer = new Interactions("buyer-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        var control = new Interactions("control-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        using var reader = ReadActions();

        await worker.GrantMarketingAsync(buyer);
        await worker.Publisher.PublishAsync(buyer.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));
        await worker.Publisher.PublishAsync(buyer.After(TimeSpan.FromMilliseconds(10)).OrderPlaced(Channel.WEB, 10m));
        // The control customer abandons a cart after the buyer ordered: once its reminder is out,
        // the buyer's (due earlier) would have been out too.
        await worker.GrantMarketingAsync(control);
        await worker.Publisher.PublishAsync(control.After(TimeSpan.FromMilliseconds(20)).CartUpdated(Channel.WEB, ("sku-2", 1, 5m)));
        var records = await reader.ReadUntilAsync(r => HasKey(r, control.CustomerId), Deadline, "the control customer's reminder");

        Assert.That(await ActionsFor(records, buyer.CustomerId), Is.Empty);
    }

    [Test]
    public async Task A_reminder_is_not_sent_twice_for_the_same_cart()
    {
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromMilliseconds(300));
        var anna = new Interactions("anna-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        var later = new Interactions("later-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        using var reader = ReadActions();

        await worker.GrantMarketingAsync(anna);
        await worker.Publisher.PublishAsync(anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));
        await reader.ReadUntilAsync(r => HasKey(r, anna.CustomerId), Deadline, "the first reminder");
        await worker.Publisher.PublishAsync(anna.After(TimeSpan.FromSeconds(1)).PageViewed(Channel.WEB));
        await worker.GrantMarketingAsync(later);
        await worker.Publisher.PublishAsync(later.After(TimeSpan.FromSeconds(1)).CartUpdated(Channel.WEB, ("sku-2", 1, 5m)));
        var records = await reader.ReadUntilAsync(r => HasKey(r, later.CustomerId), Deadline, "a later customer's reminder");

        Assert.That(await ActionsFor(records, anna.CustomerId), Has.Count.EqualTo(1));
    }
}
