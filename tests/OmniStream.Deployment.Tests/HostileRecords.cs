using System.Text;
using Avro.IO;
using Confluent.Kafka;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing.Contracts;
using OmniStream.Worker.Topology;

namespace OmniStream.Deployment.Tests;

/// <summary>A record made to hurt, and whether the worker must set it aside (it does not decode, does not validate, or forges a header).</summary>
internal sealed record HostileRecord(string Topic, string Kind, Message<byte[]?, byte[]?> Message, bool MustBeDeadLettered);

/// <summary>
/// Hostile records for every topic the worker reads: random bytes, truncated and bit-flipped valid
/// records, lying length prefixes, forged internal headers, null keys and values, unknown schema
/// ids. Whether a record must be dead-lettered is decided here with the worker's own serdes and
/// validation, so a bit flip that still makes a valid event is expected to be processed instead.
/// </summary>
internal sealed class HostileRecords(int seed)
{
    private static readonly string[] InternalHeaders =
        [StageHeaders.MergeInto, StageHeaders.AbsorbFrom, StageHeaders.LinkRefused, StageHeaders.Unlink, StageHeaders.Outcome, StageHeaders.Journeys, "omnistream.watermark"];

    private static readonly string[] Kinds = ["random", "truncated", "bit-flipped", "huge-length", "forged-header", "null-value", "null-key", "unknown-schema-id"];

    // The stages trust their own topics' headers (only the worker writes there): there, only bytes that cannot be read.
    private static readonly string[] InternalKinds = ["random", "truncated", "huge-length", "null-value", "null-key", "unknown-schema-id"];
    private readonly Random _random = new(seed);
    private readonly AvroSerde<InteractionEvent> _events = new(SchemaCatalog.Default);
    private readonly AvroSerde<ActionOutcome> _outcomes = new(SchemaCatalog.Default);

    /// <summary><paramref name="count"/> records spread over the untrusted topics, and <paramref name="internalCount"/> over the internal topics of <paramref name="applicationId"/>.</summary>
    public async Task<List<HostileRecord>> CreateAsync(int count, int internalCount, string applicationId)
    {
        string[] untrusted = [.. TopicCatalog.AllInteractions.Select(t => t.Name), TopicCatalog.ActionOutcomes.Name];
        string[] internals = [WorkerTopology.IdentityInput(applicationId), WorkerTopology.CustomersInput(applicationId), WorkerTopology.KpisInput(applicationId)];
        var records = new List<HostileRecord>(count + internalCount);
        for (var i = 0; i < count; i++)
        {
            var topic = untrusted[i % untrusted.Length];
            records.Add(await UntrustedAsync(topic, Kinds[_random.Next(Kinds.Length)]));
        }
        for (var i = 0; i < internalCount; i++)
        {
            records.Add(await InternalAsync(internals[i % internals.Length], InternalKinds[_random.Next(InternalKinds.Length)]));
        }
        return records;
    }

    private async Task<HostileRecord> UntrustedAsync(string topic, string kind)
    {
        var outcomes = topic == TopicCatalog.ActionOutcomes.Name;
        var valid = outcomes ? await _outcomes.SerializeAsync(Outcome(), topic) : await _events.SerializeAsync(Event(), topic);
        var message = new Message<byte[]?, byte[]?> { Key = Key(), Value = Mutate(kind, valid) };
        if (kind == "forged-header")
        {
            message.Headers = [new Header(InternalHeaders[_random.Next(InternalHeaders.Length)], Encoding.UTF8.GetBytes("victim-" + _random.Next(1000)))];
        }
        if (kind == "null-key")
        {
            message.Key = null;
        }
        return new HostileRecord(topic, kind, message, message.Headers is not null || !await DecodesAsync(message.Value, outcomes));
    }

    private async Task<HostileRecord> InternalAsync(string topic, string kind)
    {
        var valid = await _events.SerializeAsync(Event(), topic);
        var message = new Message<byte[]?, byte[]?> { Key = kind == "null-key" ? null : Key(), Value = Mutate(kind, valid) };
        // A record that still decodes on an internal topic would be processed as the stages' own: not sent.
        return await DecodesAsync(message.Value, outcomes: false) ? await InternalAsync(topic, "random") : new HostileRecord(topic, kind, message, true);
    }

    private byte[]? Mutate(string kind, byte[] valid) => kind switch
    {
        "random" or "null-key" => Bytes(_random.Next(0, 200)),
        "truncated" => valid[.._random.Next(0, valid.Length)],
        "bit-flipped" => Flipped(valid),
        "huge-length" => HugeLength(),
        "null-value" => null,
        "unknown-schema-id" => [0, .. Bytes(4), .. Bytes(_random.Next(0, 100))],
        _ => valid,
    };

    private byte[] Flipped(byte[] valid)
    {
        var bytes = (byte[])valid.Clone();
        for (var flips = _random.Next(1, 5); flips > 0; flips--)
        {
            var at = _random.Next(bytes.Length);
            bytes[at] ^= (byte)(1 << _random.Next(8));
        }
        return bytes;
    }

    // A valid header, then a string (or array, or bytes) that claims far more than the record holds.
    private byte[] HugeLength()
    {
        using var output = new MemoryStream();
        WireHeader.WriteSingleObject(output, SchemaCatalog.Fingerprint(InteractionEvent._SCHEMA));
        var encoder = new BinaryEncoder(output);
        encoder.WriteLong(_random.Next(3) switch { 0 => int.MaxValue, 1 => 1L << 40, _ => _random.Next(1_000_000, 500_000_000) });
        output.Write(Bytes(_random.Next(0, 64)));
        return output.ToArray();
    }

    private async Task<bool> DecodesAsync(byte[]? value, bool outcomes)
    {
        try
        {
            if (outcomes)
            {
                await _outcomes.DeserializeAsync(value);
            }
            else
            {
                InteractionValidator.ThrowIfInvalid(await _events.DeserializeAsync(value));
            }
            return true;
        }
        catch (Exception e) when (e is AvroDecodeException or ArgumentException)
        {
            return false;
        }
    }

    private InteractionEvent Event()
    {
        var customer = new Interactions($"fuzz-{_random.Next(5_000)}");
        return _random.Next(4) switch
        {
            0 => customer.CartUpdated(Channel.WEB, ("sku-1", 2, 19.99m)),
            1 => customer.SurveyAnswered(Channel.WEB, nps: _random.Next(11)),
            2 => customer.Identified(Channel.WEB, $"anon-{_random.Next(5_000)}"),
            _ => customer.PageViewed(Channel.WEB),
        };
    }

    private ActionOutcome Outcome() => new()
    {
        outcomeId = Guid.NewGuid(),
        actionId = Guid.NewGuid(),
        customerId = $"fuzz-{_random.Next(5_000)}",
        channel = Channel.WEB,
        actionType = ActionType.OFFER,
        outcome = Schemas.Contracts.Outcome.OPENED,
        occurredAt = DateTime.UtcNow,
    };

    private byte[] Key() => Encoding.UTF8.GetBytes($"fuzz-{_random.Next(5_000)}");

    private byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }
}
