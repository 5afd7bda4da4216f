using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;

namespace OmniStream.Schemas.Tests.Wire;

/// <summary>
/// The route of an interaction read in place, held to the event decoded whole: on random events of
/// every payload (blank, empty, absent and non-ASCII ids) the same channel, time, ids and keys; a
/// body the generated reader refuses is refused the same way.
/// </summary>
public class InteractionRouteTests
{
    private const int Samples = 500;

    [Test]
    public async Task The_route_read_in_place_is_what_the_decoded_event_says()
    {
        var serde = new AvroSerde<InteractionEvent>(SchemaCatalog.Default);
        var random = new Random(11);
        for (var i = 0; i < Samples; i++)
        {
            var message = Message(RandomContracts.ApacheBytes(InteractionEvent._SCHEMA, RandomContracts.For(InteractionEvent._SCHEMA, random)));
            var decoded = await serde.DeserializeAsync(message);

            var start = await serde.CurrentBodyAsync(message);
            var body = message.AsSpan(start!.Value);
            var route = AvroBody.Read(body, nameof(InteractionEvent), InteractionRoute.Read);

            var subject = decoded.subject;
            var identified = decoded.payload as Identified;
            var hasId = !string.IsNullOrWhiteSpace(subject.customerId) || !string.IsNullOrWhiteSpace(subject.anonymousId) || !string.IsNullOrWhiteSpace(subject.deviceId);
            Assert.Multiple(() =>
            {
                Assert.That(route.Channel, Is.EqualTo(decoded.channel), $"#{i}");
                Assert.That(route.OccurredAt, Is.EqualTo(decoded.occurredAt), $"#{i}");
                Assert.That(Text(message, start.Value, route.CustomerId), Is.EqualTo(subject.customerId), $"#{i}");
                Assert.That(Text(message, start.Value, route.AnonymousId), Is.EqualTo(subject.anonymousId), $"#{i}");
                Assert.That(Text(message, start.Value, route.DeviceId), Is.EqualTo(subject.deviceId), $"#{i}");
                Assert.That(Text(message, start.Value, route.IdentifiedAnonymousId), Is.EqualTo(identified?.anonymousId), $"#{i}");
                Assert.That(route.HasSubjectId(message.AsSpan(start.Value)), Is.EqualTo(hasId), $"#{i}");
                Assert.That(Text(message, start.Value, route.NamedCustomer(message.AsSpan(start.Value))),
                    Is.EqualTo(identified is null && !string.IsNullOrWhiteSpace(subject.customerId) ? subject.customerId : null), $"#{i}");
                Assert.That(Text(message, start.Value, route.LookupKey(message.AsSpan(start.Value))),
                    Is.EqualTo(identified?.anonymousId ?? (hasId ? subject.Key : null)), $"#{i}");
            });
        }
    }

    [Test]
    public async Task A_body_cut_anywhere_or_with_bytes_left_over_is_refused_as_the_generated_reader_refuses_it()
    {
        var serde = new AvroSerde<InteractionEvent>(SchemaCatalog.Default);
        var random = new Random(5);
        var body = RandomContracts.ApacheBytes(InteractionEvent._SCHEMA, RandomContracts.For(InteractionEvent._SCHEMA, random));
        foreach (var cut in Enumerable.Range(0, body.Length).Select(n => body[..n]).Append([.. body, 0]))
        {
            var message = Message(cut);
            var decoding = await Assert.ThrowsAsync<AvroDecodeException>(async () => await serde.DeserializeAsync(message));
            var routing = Assert.Throws<AvroDecodeException>(() =>
                AvroBody.Read(message.AsSpan(WireHeader.SingleObjectLength), nameof(InteractionEvent), InteractionRoute.Read));

            Assert.That(routing!.Failure, Is.EqualTo(decoding!.Failure), $"a body of {cut.Length} of {body.Length} bytes");
        }
    }

    private static byte[] Message(byte[] body)
    {
        var message = new byte[WireHeader.SingleObjectLength + body.Length];
        WireHeader.WriteSingleObject(message, SchemaCatalog.Fingerprint(InteractionEvent._SCHEMA));
        body.CopyTo(message, WireHeader.SingleObjectLength);
        return message;
    }

    private static string? Text(byte[] message, int start, Range? range) =>
        range is { } r ? System.Text.Encoding.UTF8.GetString(message.AsSpan(start)[r]) : null;
}
