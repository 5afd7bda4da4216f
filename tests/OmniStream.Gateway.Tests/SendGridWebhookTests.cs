using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OmniStream.Channels.Topics;
using OmniStream.Gateway.Api;
using OmniStream.Gateway.Email;
using OmniStream.Gateway.Ingestion;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing.Kafka;

namespace OmniStream.Gateway.Tests;

/// <summary>SendGrid's signed Event Webhook: its signature checked as SendGrid signs, its events on the email channel.</summary>
public class SendGridWebhookTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    // The sample of SendGrid's own library (@sendgrid/eventwebhook, its test): a request signed by SendGrid, byte for byte.
    private const string SampleKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==";
    private const string SampleSignature = "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=";
    private const string SampleTimestamp = "1600112502";
    private const string SamplePayload = "[{\"email\":\"hello@world.com\",\"event\":\"dropped\",\"reason\":\"Bounced Address\",\"sg_event_id\":\"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA\","
        + "\"sg_message_id\":\"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0\",\"smtp-id\":\"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>\",\"timestamp\":1600112492}]\r\n";

    [Test]
    public void A_request_SendGrid_signed_verifies_and_not_once_changed_or_too_old()
    {
        var options = new SendGridOptions { VerificationKey = SampleKey };
        using var then = new SendGridSignature(options, new FixedTime(DateTimeOffset.FromUnixTimeSeconds(1600112502 + 60)));
        using var later = new SendGridSignature(options, new FixedTime(DateTimeOffset.FromUnixTimeSeconds(1600112502).AddHours(1)));
        var body = Encoding.UTF8.GetBytes(SamplePayload);
        var changed = Encoding.UTF8.GetBytes(SamplePayload.Replace("dropped", "open", StringComparison.Ordinal));

        Assert.Multiple(() =>
        {
            Assert.That(then.Problem(SampleSignature, SampleTimestamp, body), Is.Null);
            Assert.That(then.Problem(SampleSignature, SampleTimestamp, changed), Does.StartWith("the signature does not match the body"));
            Assert.That(then.Problem(SampleSignature, "1600112503", body), Does.StartWith("the signature does not match the body"), "the timestamp is signed too");
            Assert.That(later.Problem(SampleSignature, SampleTimestamp, body), Does.StartWith("the signed timestamp is 60 minutes away from now"));
            Assert.That(then.Problem(null, null, body), Does.StartWith("the request is not signed"));
            Assert.That(options.Problem(), Is.Null);
            Assert.That(new SendGridOptions { VerificationKey = "not a key" }.Problem(), Does.StartWith("OmniStream:Email:SendGrid:VerificationKey is not an ECDSA public key"));
        });
    }

    [Test]
    public async Task A_signed_batch_publishes_its_engagement_on_the_email_channel_and_keeps_an_event_without_customer_aside()
    {
        using var sendGrid = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["OmniStream:Email:SendGrid:VerificationKey"] = Convert.ToBase64String(sendGrid.ExportSubjectPublicKeyInfo()),
        });
        using var email = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.Interactions(Channel.EMAIL).Name]);
        using var badRows = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.BadRows.Name]);
        var customer = "mail-" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var batch = $$"""
            [{"email":"anna@example.com","timestamp":{{now}},"event":"delivered","sg_event_id":"d-{{customer}}","sg_message_id":"m1","customer_id":"{{customer}}"},
            {"email":"anna@example.com","timestamp":{{now}},"event":"open","sg_event_id":"o-{{customer}}","sg_message_id":"m1","customer_id":"{{customer}}","campaign_id":"cart-reminder"},
            {"email":"anna@example.com","timestamp":{{now}},"event":"unsubscribe","sg_event_id":"u-{{customer}}","sg_message_id":"m1","customer_id":"{{customer}}"},
            {"email":"{{customer}}@example.com","timestamp":{{now}},"event":"open","sg_event_id":"x-{{customer}}","sg_message_id":"m2"}]

            """;

        var signed = await PostAsync(gateway, batch, Sign(sendGrid, now.ToString(), batch));
        var unsigned = await PostAsync(gateway, batch, null);
        var tampered = await PostAsync(gateway, batch.Replace("unsubscribe", "open", StringComparison.Ordinal), Sign(sendGrid, now.ToString(), batch));
        var published = await email.InteractionsForAsync(customer, 2, Deadline, "the open and the unsubscribe");
        var kept = await badRows.ReadUntilAsync(r => r.Any(m => Encoding.UTF8.GetString(m.Message.Value).Contains($"x-{customer}", StringComparison.Ordinal)), Deadline, "the bad row");

        Assert.Multiple(() =>
        {
            Assert.That(signed.Status, Is.EqualTo(HttpStatusCode.OK), signed.Body);
            Assert.That(signed.Answer!.Accepted.Select(a => a.Index), Is.EqualTo(new[] { 1, 2 }), "the delivery is ignored");
            Assert.That(signed.Answer.Rejected.Single().Index, Is.EqualTo(3));
            Assert.That(signed.Answer.Rejected.Single().Error, Does.StartWith("customer_id is required"));
            Assert.That(published.Select(e => e.payload.GetType().Name), Is.EquivalentTo(new[] { "EmailOpened", "ConsentChanged" }));
            Assert.That(((ConsentChanged)published.Single(e => e.payload is ConsentChanged).payload).granted, Is.False);
            Assert.That(unsigned.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(unsigned.Body, Does.Contain("the request is not signed"));
            Assert.That(tampered.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(kept, Is.Not.Empty);
        });
    }

    [Test]
    public async Task Without_a_verification_key_there_is_no_sendgrid_endpoint()
    {
        await using var gateway = await GatewayHarness.StartAsync();

        var answer = await PostAsync(gateway, "[]", null);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    // As SendGrid signs: ECDSA P-256 over SHA-256 of the timestamp then the body, DER, base64.
    private static (string Signature, string Timestamp) Sign(ECDsa key, string timestamp, string body) =>
        (Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)), timestamp);

    private static async Task<(HttpStatusCode Status, EventsAnswer? Answer, string Body)> PostAsync(GatewayHarness gateway, string body, (string Signature, string Timestamp)? signature)
    {
        using var http = new HttpClient { BaseAddress = gateway.Url };
        using var request = new HttpRequestMessage(HttpMethod.Post, SendGridEndpoints.Path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is { } signed)
        {
            request.Headers.Add(SendGridSignature.SignatureHeader, signed.Signature);
            request.Headers.Add(SendGridSignature.TimestampHeader, signed.Timestamp);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.StatusCode == HttpStatusCode.OK ? JsonSerializer.Deserialize<EventsAnswer>(text, Web) : null, text);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
