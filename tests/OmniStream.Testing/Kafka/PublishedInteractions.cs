using System.Text;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;

namespace OmniStream.Testing.Kafka;

/// <summary>Reads the interaction events published under one key, as the worker would decode them.</summary>
public static class PublishedInteractions
{
    private static readonly AvroSerde<InteractionEvent> Serde = new(SchemaCatalog.Default);

    /// <summary>
    /// The events keyed <paramref name="key"/> once <paramref name="reader"/> has at least <paramref name="count"/>; fails at the
    /// deadline. <paramref name="serde"/> decodes them (one with a registry for Confluent framing); single-object only by default.
    /// </summary>
    public static async Task<List<InteractionEvent>> InteractionsForAsync(this TopicReader reader, string key, int count, TimeSpan timeout, string what,
        AvroSerde<InteractionEvent>? serde = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        bool Keyed(Confluent.Kafka.ConsumeResult<byte[], byte[]> record) => Encoding.UTF8.GetString(record.Message.Key) == key;
        var records = await reader.ReadUntilAsync(r => r.Count(Keyed) >= count, timeout, what).ConfigureAwait(false);
        var events = new List<InteractionEvent>();
        foreach (var record in records.Where(Keyed))
        {
            events.Add(await (serde ?? Serde).DeserializeAsync(record.Message.Value).ConfigureAwait(false));
        }
        return events;
    }
}
