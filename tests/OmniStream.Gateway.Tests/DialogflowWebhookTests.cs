using System.Net;
using System.Text;
using OmniStream.Channels.Topics;
using OmniStream.Gateway.Api;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing.Kafka;

namespace OmniStream.Gateway.Tests;

/// <summary>A Dialogflow agent's fulfillment webhook: its requests become chat messages; it is answered with an empty webhook response.</summary>
public class DialogflowWebhookTests
{
    [Test]
    public async Task A_fulfillment_request_is_published_as_a_chat_message_and_answered_with_an_empty_webhook_response()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        using var chatbot = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.Interactions(Channel.CHATBOT).Name]);
        var customer = "chat-" + Guid.NewGuid().ToString("N")[..8];
        var request = $$$"""
            {"responseId": "r-{{{customer}}}", "session": "projects/shop/agent/sessions/s-{{{customer}}}",
             "queryResult": {"queryText": "I want to talk to someone", "intent": {"displayName": "agent.handover"}, "intentDetectionConfidence": 0.93},
             "originalDetectIntentRequest": {"source": "web", "payload": {"customerId": "{{{customer}}}" } } }
            """;

        var (status, body) = await gateway.PostJsonAsync(DialogflowEndpoints.Path, request);
        var published = (await chatbot.InteractionsForAsync(customer, 1, TimeSpan.FromSeconds(30), "the chat message"))[0];

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body, Is.EqualTo("{}"), "Dialogflow reads the answer as a webhook response");
            Assert.That(((ChatMessageSent)published.payload).intent, Is.EqualTo("agent.handover"));
        });
    }
}
