using Avro;
using Avro.Generic;

namespace OmniStream.Schemas.Tests.Catalog;

/// <summary>Builds a generic datum for any schema, taking union branch <c>branch</c> at the top-level union field.</summary>
internal static class SampleDatum
{
    public static object? For(Schema schema, int branch = 0) => schema switch
    {
        RecordSchema record => Record(record, branch),
        EnumSchema e => new GenericEnum(e, e.Symbols[0]),
        ArraySchema array => new object?[] { For(array.ItemSchema) },
        MapSchema map => new Dictionary<string, object?> { ["key"] = For(map.ValueSchema) },
        UnionSchema union => For(union.Schemas[Math.Min(branch, union.Count - 1)] is { Tag: Schema.Type.Null } && union.Count > 1
            ? union.Schemas[1]
            : union.Schemas[Math.Min(branch, union.Count - 1)]),
        LogicalSchema logical => logical.LogicalTypeName switch
        {
            "uuid" => Guid.NewGuid(),
            "timestamp-millis" => new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            "decimal" => new AvroDecimal(12.34m),
            var other => throw new NotSupportedException($"sample for logical type {other}"),
        },
        PrimitiveSchema primitive => primitive.Tag switch
        {
            Schema.Type.Null => null,
            Schema.Type.Boolean => true,
            Schema.Type.Int => 7,
            Schema.Type.Long => 7L,
            Schema.Type.Float => 1.5f,
            Schema.Type.Double => 2.5,
            Schema.Type.Bytes => new byte[] { 1, 2 },
            Schema.Type.String => "text",
            var other => throw new NotSupportedException($"sample for {other}"),
        },
        _ => throw new NotSupportedException($"sample for {schema.Tag}"),
    };

    /// <summary>How many branches the widest union field of a record has (1 when none).</summary>
    public static int BranchCount(RecordSchema record) =>
        record.Fields.Select(f => f.Schema is UnionSchema u ? u.Count : 1).DefaultIfEmpty(1).Max();

    private static GenericRecord Record(RecordSchema schema, int branch)
    {
        var record = new GenericRecord(schema);
        foreach (var field in schema.Fields)
        {
            record.Add(field.Name, For(field.Schema, branch));
        }
        return record;
    }
}
