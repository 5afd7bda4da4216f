using System.Text.Json;
using OmniStream.Adapters.Chat;
using OmniStream.Adapters.Json;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Channels.Tests.Adapters;

public class DialogflowAdapterTests
{
    private static readonly DateTime Received = new(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc);
    private readonly DialogflowAdapter _adapter = new();

    [Test]
    public void A_fulfillment_request_is_a_chat_message_with_its_intent_in_its_session()
    {
        var e = _adapter.Read(Parse("""
            {"responseId": "r-1", "session": "projects/shop/agent/sessions/s-42",
             "queryResult": {"queryText": "where is my order", "intent": {"name": "projects/shop/agent/intents/1", "displayName": "order.status"}, "intentDetectionConfidence": 0.87},
             "originalDetectIntentRequest": {"source": "web", "payload": {"customerId": "anna"}}}
            """), Received).Single();

        var chat = (ChatMessageSent)e.payload;
        Assert.Multiple(() =>
        {
            Assert.That((e.channel, e.subject.customerId, e.sessionId, e.occurredAt), Is.EqualTo((Channel.CHATBOT, "anna", "s-42", Received)));
            Assert.That((chat.conversationId, chat.intent, chat.confidence), Is.EqualTo(("s-42", "order.status", 0.87)));
            Assert.That(e.eventId, Is.EqualTo(_adapter.FirstEventId(Parse("""{"responseId": "r-1"}"""))), "derived from responseId");
        });
    }

    [Test]
    public void The_sessions_user_is_the_customer_and_without_one_the_session_is_an_anonymous_visitor()
    {
        var user = _adapter.Read(Parse("""
            {"responseId": "r-2", "session": "projects/shop/agent/environments/live/users/bob/sessions/s-1", "queryResult": {"intent": {"displayName": "greeting"}}}
            """), Received).Single();
        var visitor = _adapter.Read(Parse("""
            {"responseId": "r-3", "session": "projects/shop/agent/sessions/s-9", "queryResult": {"intent": {"displayName": "Default Fallback Intent"}}}
            """), Received).Single();

        Assert.Multiple(() =>
        {
            Assert.That(user.subject.customerId, Is.EqualTo("bob"));
            Assert.That(((ChatMessageSent)user.payload).confidence, Is.Zero, "no confidence given");
            Assert.That((visitor.subject.customerId, visitor.subject.anonymousId), Is.EqualTo(((string?)null, "dialogflow:s-9")));
        });
    }

    [TestCase("""{"queryResult": {"intent": {"displayName": "x"}}}""", "session is required")]
    [TestCase("""{"session": "projects/shop/agent", "queryResult": {"intent": {"displayName": "x"}}}""", "session must end with /sessions/<session id>")]
    [TestCase("""{"session": "projects/shop/agent/sessions/s", "queryResult": {}}""", "queryResult.intent.displayName is required")]
    [TestCase("""{"session": "projects/shop/agent/sessions/s", "queryResult": {"intent": {"displayName": "x"}, "intentDetectionConfidence": 3}}""", "queryResult.intentDetectionConfidence must be between 0 and 1")]
    public void A_request_that_makes_no_valid_event_is_refused_naming_the_field(string json, string error)
    {
        Assert.That(() => _adapter.Read(Parse(json), Received), Throws.TypeOf<InteractionJsonException>().With.Message.EqualTo(error));
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
