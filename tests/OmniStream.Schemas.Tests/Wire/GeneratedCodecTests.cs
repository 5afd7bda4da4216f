using System.Buffers;
using Avro;
using Avro.Generic;
using Avro.IO;
using Avro.Specific;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;

namespace OmniStream.Schemas.Tests.Wire;

/// <summary>
/// The contracts' generated readers and writers against Apache.Avro, the oracle: on random values of
/// every contract (every union branch, empty and full arrays and maps, nulls, non-ASCII text, times
/// below the millisecond, negative amounts), the generated writer writes the bytes Apache.Avro writes,
/// and the generated reader reads them back into values Apache.Avro writes the same again.
/// </summary>
public class GeneratedCodecTests
{
    private const int Samples = 300;

    [Test]
    public void InteractionEvent_reads_and_writes_as_Apache_Avro_does() => HoldsToApache<InteractionEvent>();

    [Test]
    public void NextBestAction_reads_and_writes_as_Apache_Avro_does() => HoldsToApache<NextBestAction>();

    [Test]
    public void ActionOutcome_reads_and_writes_as_Apache_Avro_does() => HoldsToApache<ActionOutcome>();

    [Test]
    public void CustomerProfile_reads_and_writes_as_Apache_Avro_does() => HoldsToApache<CustomerProfile>();

    [Test]
    public void KpiUpdate_reads_and_writes_as_Apache_Avro_does() => HoldsToApache<KpiUpdate>();

    [Test]
    public void SegmentChange_reads_and_writes_as_Apache_Avro_does() => HoldsToApache<SegmentChange>();

    [Test]
    public void ErasureNotice_reads_and_writes_as_Apache_Avro_does() => HoldsToApache<ErasureNotice>();

    [Test]
    public async Task The_serde_reads_what_Apache_Avro_wrote_with_the_current_schema_and_writes_what_it_would()
    {
        var serde = new AvroSerde<InteractionEvent>(SchemaCatalog.Default);
        var random = new Random(7);
        for (var i = 0; i < Samples; i++)
        {
            var message = RandomEventMessage(random);

            var read = await serde.DeserializeAsync(message);

            Assert.That(await serde.SerializeAsync(read, "t"), Is.EqualTo(message));
        }
    }

    [Test]
    public void A_map_held_in_a_sorted_list_or_a_dictionary_is_written_as_any_map_of_its_entries_in_their_order()
    {
        var random = new Random(5);
        for (var i = 0; i < Samples; i++)
        {
            var action = (NextBestAction)new SpecificDatumReader<NextBestAction>(NextBestAction._SCHEMA, NextBestAction._SCHEMA).Read(default!,
                new BinaryDecoder(new MemoryStream(RandomContracts.ApacheBytes(NextBestAction._SCHEMA, RandomContracts.For(NextBestAction._SCHEMA, random)))));
            var sorted = new SortedList<string, string>(action.parameters, StringComparer.Ordinal);
            var inOrder = new Dictionary<string, string>();
            foreach (var (name, value) in sorted)
            {
                inOrder[name] = value;
            }

            var asAnyMap = Written(action, new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(sorted));

            Assert.That(Written(action, sorted), Is.EqualTo(asAnyMap), $"a sorted list, #{i}");
            Assert.That(Written(action, inOrder), Is.EqualTo(asAnyMap), $"a dictionary, #{i}");
        }

        static byte[] Written(NextBestAction action, IDictionary<string, string> parameters)
        {
            action.parameters = parameters;
            var written = new ArrayBufferWriter<byte>();
            var writer = new AvroWriter(written);
            action.WriteAvro(ref writer);
            return written.WrittenSpan.ToArray();
        }
    }

    [Test]
    public void An_InteractionEvent_read_without_some_fields_is_the_whole_one_but_for_those_left_at_their_defaults()
    {
        var random = new Random(13);
        const ulong skipped = InteractionEvent.AvroFields.subject | InteractionEvent.AvroFields.sessionId;
        InteractionEvent? last = null;
        for (var i = 0; i < Samples; i++)
        {
            var bytes = RandomContracts.ApacheBytes(InteractionEvent._SCHEMA, RandomContracts.For(InteractionEvent._SCHEMA, random));
            var whole = new AvroReader(bytes);
            var expected = InteractionEvent.ReadAvro(ref whole);
            var partial = new AvroReader(bytes);

            var read = last = InteractionEvent.ReadAvro(ref partial, last, skipped);

            Assert.That((read.subject, read.sessionId), Is.EqualTo(((Subject?)null, (string?)null)), $"#{i}");
            Assert.That(partial.Remaining, Is.Zero, $"#{i}: read to its end");
            (read.subject, read.sessionId) = (expected.subject, expected.sessionId);
            var written = new ArrayBufferWriter<byte>();
            var writer = new AvroWriter(written);
            read.WriteAvro(ref writer);
            Assert.That(written.WrittenSpan.ToArray(), Is.EqualTo(bytes), $"#{i}: every other field as written");
        }
    }

    [Test]
    public void An_InteractionEvent_read_into_the_last_one_is_what_its_bytes_say() => ReadsIntoTheLast<InteractionEvent>();

    [Test]
    public void A_CustomerProfile_read_into_the_last_one_is_what_its_bytes_say() => ReadsIntoTheLast<CustomerProfile>();

    [Test]
    public void A_NextBestAction_read_into_the_last_one_is_what_its_bytes_say() => ReadsIntoTheLast<NextBestAction>();

    [Test]
    public void A_KpiUpdate_read_into_the_last_one_is_what_its_bytes_say() => ReadsIntoTheLast<KpiUpdate>();

    [Test]
    public async Task The_serde_decodes_a_message_of_the_current_schema_into_the_value_it_is_given()
    {
        var serde = new AvroSerde<InteractionEvent>(SchemaCatalog.Default);
        var random = new Random(11);
        InteractionEvent? last = null;
        for (var i = 0; i < 20; i++)
        {
            var message = RandomEventMessage(random);

            var read = await serde.DeserializeIntoAsync(message, last);

            Assert.That(read, last is null ? Is.Not.Null : Is.SameAs(last), "read into the value given");
            Assert.That(await serde.SerializeAsync(read, "t"), Is.EqualTo(message));
            last = read;
        }
    }

    // A random event, as Apache.Avro writes it, in a single-object message.
    private static byte[] RandomEventMessage(Random random)
    {
        var body = RandomContracts.ApacheBytes(InteractionEvent._SCHEMA, RandomContracts.For(InteractionEvent._SCHEMA, random));
        var message = new byte[WireHeader.SingleObjectLength + body.Length];
        WireHeader.WriteSingleObject(message, SchemaCatalog.Fingerprint(InteractionEvent._SCHEMA));
        body.CopyTo(message, WireHeader.SingleObjectLength);
        return message;
    }

    // Random values read in turn into one: each, written again, gives its own bytes (no field, list item or map entry left
    // from the value before).
    private static void ReadsIntoTheLast<T>() where T : class, ISpecificRecord, IAvroBinary<T>, new()
    {
        var schema = new T().Schema;
        var random = new Random(schema.Fullname.Length + 1);
        T? last = default;
        for (var i = 0; i < Samples; i++)
        {
            var expected = RandomContracts.ApacheBytes(schema, RandomContracts.For(schema, random));
            var reader = new AvroReader(expected);
            var read = T.ReadAvro(ref reader, last);
            var written = new ArrayBufferWriter<byte>();
            var writer = new AvroWriter(written);
            read.WriteAvro(ref writer);

            Assert.That(written.WrittenSpan.ToArray(), Is.EqualTo(expected), $"{schema.Name} #{i}, read into #{i - 1}");
            if (last is not null)
            {
                Assert.That(read, Is.SameAs(last));
            }
            last = read;
        }
    }

    private static void HoldsToApache<T>() where T : ISpecificRecord, IAvroBinary<T>, new()
    {
        var schema = new T().Schema;
        var random = new Random(schema.Fullname.Length);
        var apacheReader = new SpecificDatumReader<T>(schema, schema);
        var apacheWriter = new SpecificDatumWriter<T>(schema);
        for (var i = 0; i < Samples; i++)
        {
            var expected = RandomContracts.ApacheBytes(schema, RandomContracts.For(schema, random));
            var value = apacheReader.Read(default!, new BinaryDecoder(new MemoryStream(expected)));

            var written = new ArrayBufferWriter<byte>();
            var writer = new AvroWriter(written);
            value.WriteAvro(ref writer);
            var reader = new AvroReader(expected);
            var read = T.ReadAvro(ref reader);
            using var again = new MemoryStream();
            apacheWriter.Write(read, new BinaryEncoder(again));

            Assert.That(written.WrittenSpan.ToArray(), Is.EqualTo(expected), $"{schema.Name} #{i}: the generated writer's bytes");
            Assert.That(reader.Remaining, Is.Zero, $"{schema.Name} #{i}: the generated reader read every byte");
            Assert.That(again.ToArray(), Is.EqualTo(expected), $"{schema.Name} #{i}: what the generated reader read, written by Apache.Avro");
        }
    }
}
