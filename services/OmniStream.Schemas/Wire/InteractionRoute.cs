using Avro;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Schemas.Wire;

/// <summary>
/// What routing an interaction needs, read in place from its body (written with the current schema):
/// its channel and time, where its subject's ids lie in the body, and, for an <see cref="Identified"/>
/// payload, where the anonymous id it links lies. The whole body is checked as the generated reader
/// would check it, and nothing else is made: ingest routes an event without decoding it.
/// </summary>
/// <param name="Channel">The channel it happened on.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="CustomerId">The subject's customer id in the body; null when absent.</param>
/// <param name="AnonymousId">The subject's anonymous id in the body; null when absent.</param>
/// <param name="DeviceId">The subject's device id in the body; null when absent.</param>
/// <param name="IdentifiedAnonymousId">For an <see cref="Identified"/> payload, the anonymous id it links; null for any other payload.</param>
/// <param name="IsErasureRequest">True when the payload is an <see cref="ErasureRequested"/>.</param>
public readonly record struct InteractionRoute(Channel Channel, DateTime OccurredAt, Range? CustomerId, Range? AnonymousId, Range? DeviceId, Range? IdentifiedAnonymousId,
    bool IsErasureRequest)
{
    private static readonly int Channels = Enum.GetValues<Channel>().Length;

    // The branches of InteractionEvent.payload that hold an Identified and an ErasureRequested, from the schema.
    private static readonly int IdentifiedBranch = PayloadBranch(nameof(Identified));
    private static readonly int ErasureBranch = PayloadBranch(nameof(ErasureRequested));

    /// <summary>Reads the route of an interaction's body; throws as the generated reader would when the body does not read.</summary>
    public static InteractionRoute Read(ref AvroReader reader)
    {
        var start = reader;
        InteractionEvent.SkipAvro(ref start);
        // The fields in the schema's order: eventId, occurredAt, receivedAt, channel, subject (customerId, anonymousId, deviceId), sessionId, traceParent, payload.
        _ = reader.ReadUuid();
        var occurredAt = reader.ReadTimestampMillis();
        _ = reader.ReadTimestampMillis();
        var channel = (Channel)reader.ReadEnum(Channels);
        var customerId = OptionalString(ref reader);
        var anonymousId = OptionalString(ref reader);
        var deviceId = OptionalString(ref reader);
        _ = OptionalString(ref reader);
        _ = OptionalString(ref reader);
        // Identified's first field is the anonymous id it links.
        var branch = reader.ReadUnionIndex(int.MaxValue);
        var identified = branch == IdentifiedBranch ? reader.ReadStringRange() : (Range?)null;
        reader = start;
        return new InteractionRoute(channel, occurredAt, customerId, anonymousId, deviceId, identified, branch == ErasureBranch);
    }

    /// <summary>True when the subject has an id that is not blank (as <see cref="Subject.Key"/> asks).</summary>
    public bool HasSubjectId(ReadOnlySpan<byte> body) => SubjectKey(body) is not null;

    /// <summary>The customer the event names itself, as <c>IdentityResolver.NamedCustomer</c> reads it: its customer id unless blank or the payload links ids.</summary>
    public Range? NamedCustomer(ReadOnlySpan<byte> body) => IdentifiedAnonymousId is null && !IsBlank(body, CustomerId) ? CustomerId : null;

    /// <summary>The key an event is looked up by, as <c>IdentityResolver.LookupKey</c> reads it: the anonymous id an Identified links, else the subject's key.</summary>
    public Range? LookupKey(ReadOnlySpan<byte> body) => IdentifiedAnonymousId ?? SubjectKey(body);

    // The first id that is not blank: customer, anonymous, device (Subject.Key).
    private Range? SubjectKey(ReadOnlySpan<byte> body) =>
        !IsBlank(body, CustomerId) ? CustomerId : !IsBlank(body, AnonymousId) ? AnonymousId : !IsBlank(body, DeviceId) ? DeviceId : null;

    // string.IsNullOrWhiteSpace, on UTF-8.
    private static bool IsBlank(ReadOnlySpan<byte> body, Range? text)
    {
        if (text is not { } range)
        {
            return true;
        }
        for (var rest = body[range]; !rest.IsEmpty;)
        {
            System.Text.Rune.DecodeFromUtf8(rest, out var rune, out var length);
            if (!System.Text.Rune.IsWhiteSpace(rune))
            {
                return false;
            }
            rest = rest[length..];
        }
        return true;
    }

    private static int PayloadBranch(string name) =>
        ((UnionSchema)((RecordSchema)InteractionEvent._SCHEMA)["payload"].Schema).Schemas.ToList().FindIndex(s => ((NamedSchema)s).Name == name);

    private static Range? OptionalString(ref AvroReader reader) => reader.ReadUnionIndex(2) == 1 ? reader.ReadStringRange() : null;
}
