using OmniStream.Channels.Publishing;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;

namespace OmniStream.Channels.Tests.Publishing;

public class InteractionValidatorTests
{
    private static InteractionEvent Valid() => new Interactions("anna").PageViewed(Channel.WEB);

    [TestCaseSource(nameof(Invalid))]
    public void An_incomplete_event_is_refused_naming_the_field(Action<InteractionEvent> spoil, string field)
    {
        var interaction = Valid();
        spoil(interaction);

        var error = Assert.Throws<ArgumentException>(() => InteractionValidator.ThrowIfInvalid(interaction));

        Assert.That(error!.Message, Does.Contain(field));
    }

    [Test]
    public void A_complete_event_passes() => Assert.DoesNotThrow(() => InteractionValidator.ThrowIfInvalid(Valid()));

    [Test]
    public void An_event_more_than_five_minutes_ahead_of_the_receiving_clock_is_refused()
    {
        var now = new DateTime(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc);

        var error = Assert.Throws<ArgumentException>(() => InteractionValidator.ThrowIfFromTheFuture(new DateTime(2099, 1, 1, 0, 0, 0, DateTimeKind.Utc), now));

        Assert.That(error!.Message, Does.Contain("InteractionEvent.occurredAt 2099-01-01T00:00:00").And.Contain("at most 5 minutes ahead"));
        Assert.DoesNotThrow(() => InteractionValidator.ThrowIfFromTheFuture(now.AddMinutes(4), now), "a clock a little ahead");
        Assert.DoesNotThrow(() => InteractionValidator.ThrowIfFromTheFuture(now.AddYears(-3), now), "the past");
    }

    private static IEnumerable<TestCaseData> Invalid()
    {
        yield return new TestCaseData((Action<InteractionEvent>)(e => e.channel = Channel.UNKNOWN), "InteractionEvent.channel").SetName("unknown channel");
        yield return new TestCaseData((Action<InteractionEvent>)(e => e.subject = null!), "InteractionEvent.subject").SetName("no subject");
        yield return new TestCaseData((Action<InteractionEvent>)(e => e.subject = new Subject()), "customerId, anonymousId or deviceId").SetName("subject without ids");
        yield return new TestCaseData((Action<InteractionEvent>)(e => e.payload = null!), "InteractionEvent.payload").SetName("no payload");
        yield return new TestCaseData((Action<InteractionEvent>)(e => e.occurredAt = default), "InteractionEvent.occurredAt").SetName("no time");
        yield return new TestCaseData((Action<InteractionEvent>)(e => e.payload = new ErasureRequested { requestId = "r-1", reason = "r" }), "POST /privacy/erasure/{id}")
            .SetName("an erasure request: not a channel's event");
    }
}
