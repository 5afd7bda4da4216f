using Avro;
using Avro.Generic;
using Avro.IO;

namespace OmniStream.Schemas.Tests.Wire;

/// <summary>Random generic values of any contract's schema (every union branch, empty and full arrays and maps, nulls, non-ASCII and blank text), and Apache.Avro's bytes of them.</summary>
internal static class RandomContracts
{
    private static readonly string[] Texts = ["", " \t", "a", "anna", "Zoë", "日本語の文", "emoji 😀 ok", "line\nbreak", new string('x', 300)];

    /// <summary>What Apache.Avro writes for <paramref name="datum"/>.</summary>
    public static byte[] ApacheBytes(Schema schema, object? datum)
    {
        using var output = new MemoryStream();
        new GenericDatumWriter<object?>(schema).Write(datum, new BinaryEncoder(output));
        return output.ToArray();
    }

    /// <summary>A random generic value of <paramref name="schema"/>.</summary>
    public static object? For(Schema schema, Random random) => schema switch
    {
        RecordSchema record => Record(record, random),
        EnumSchema e => new GenericEnum(e, e.Symbols[random.Next(e.Symbols.Count)]),
        ArraySchema array => Enumerable.Range(0, random.Next(4)).Select(_ => For(array.ItemSchema, random)).ToArray(),
        MapSchema map => Enumerable.Range(0, random.Next(4)).ToDictionary(i => $"k{i}{Texts[random.Next(Texts.Length)]}", _ => For(map.ValueSchema, random)),
        UnionSchema union => For(union.Schemas[random.Next(union.Count)], random),
        LogicalSchema logical => logical.LogicalTypeName switch
        {
            "uuid" => Guid.NewGuid(),
            "timestamp-millis" => new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 3650)),
            "decimal" => new AvroDecimal(Math.Round((decimal)(random.NextDouble() - 0.3) * random.Next(1, 100_000), 2) + 0.00m),
            var other => throw new NotSupportedException($"random {other}"),
        },
        PrimitiveSchema primitive => primitive.Tag switch
        {
            Schema.Type.Null => null,
            Schema.Type.Boolean => random.Next(2) == 1,
            Schema.Type.Int => random.Next(int.MinValue, int.MaxValue),
            Schema.Type.Long => random.NextInt64(long.MinValue, long.MaxValue),
            Schema.Type.Float => (float)(random.NextDouble() * 1000),
            Schema.Type.Double => random.NextDouble() * 1e6 - 5e5,
            Schema.Type.Bytes => Enumerable.Range(0, random.Next(5)).Select(_ => (byte)random.Next(256)).ToArray(),
            Schema.Type.String => Texts[random.Next(Texts.Length)],
            var other => throw new NotSupportedException($"random {other}"),
        },
        _ => throw new NotSupportedException($"random {schema.Tag}"),
    };

    private static GenericRecord Record(RecordSchema schema, Random random)
    {
        var record = new GenericRecord(schema);
        foreach (var field in schema.Fields)
        {
            record.Add(field.Name, For(field.Schema, random));
        }
        return record;
    }
}
