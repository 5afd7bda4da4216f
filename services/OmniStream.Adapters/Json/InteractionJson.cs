using System.Collections;
using System.Globalization;
using System.Text.Json;
using Avro;
using Avro.Specific;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Adapters.Json;

/// <summary>
/// Reads an interaction event written as JSON, for channels that do not speak Avro: the fields of
/// <see cref="InteractionEvent"/> by their schema names, the payload as an object whose
/// <c>type</c> names its record (<c>{"type": "CartUpdated", "cartId": ...}</c>), times as ISO 8601
/// with a time zone, amounts as JSON numbers of at most two decimals, enums by symbol. The schema
/// drives the reading, so every payload the contract has is accepted and nothing it lacks: an
/// unknown field is an error, not silently dropped. <c>eventId</c> and <c>receivedAt</c> may be left
/// out (the publisher fills them in). Input is untrusted: strings, arrays and maps are bounded, and
/// an error names the path of what is wrong.
/// </summary>
public static class InteractionJson
{
    /// <summary>The longest string a field may hold, in characters.</summary>
    public const int MaxStringLength = 4096;

    /// <summary>The most items an array (e.g. a cart's lines) or entries a map (e.g. profile attributes) may hold.</summary>
    public const int MaxItems = 500;

    /// <summary>The name of the property that says which payload record an object is.</summary>
    public const string PayloadType = "type";

    private static readonly HashSet<string> Optional = [nameof(InteractionEvent.eventId), nameof(InteractionEvent.receivedAt)];

    /// <summary>The event <paramref name="json"/> describes.</summary>
    /// <exception cref="InteractionJsonException">It is not an interaction event; the message names the field.</exception>
    public static InteractionEvent Read(JsonElement json) => (InteractionEvent)ReadRecord((RecordSchema)InteractionEvent._SCHEMA, json, "", Optional)!;

    private static object? Read(Schema schema, JsonElement json, string path) => schema switch
    {
        RecordSchema record => ReadRecord(record, json, path, []),
        UnionSchema union => ReadUnion(union, json, path),
        EnumSchema symbols => ReadEnum(symbols, json, path),
        ArraySchema array => ReadArray(array, json, path),
        MapSchema map => ReadMap(map, json, path),
        LogicalSchema logical => ReadLogical(logical, json, path),
        PrimitiveSchema primitive => ReadPrimitive(primitive, json, path),
        _ => throw new InteractionJsonException(path, $"has a schema type ({schema.Tag}) that JSON input does not support"),
    };

    private static ISpecificRecord ReadRecord(RecordSchema schema, JsonElement json, string path, HashSet<string> optional, string? skip = null)
    {
        Expect(json, JsonValueKind.Object, $"an object ({schema.Name})", path);
        var record = (ISpecificRecord)Activator.CreateInstance(ClrType(schema))!;
        foreach (var property in json.EnumerateObject())
        {
            if (property.Name != skip && !schema.Contains(property.Name))
            {
                throw new InteractionJsonException(Join(path, property.Name), $"is not a field of {schema.Name} (fields: {string.Join(", ", schema.Fields.Select(f => f.Name))})");
            }
        }
        foreach (var field in schema.Fields)
        {
            var fieldPath = Join(path, field.Name);
            if (json.TryGetProperty(field.Name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                record.Put(field.Pos, Read(field.Schema, value, fieldPath));
            }
            else if (!optional.Contains(field.Name) && !Nullable(field.Schema))
            {
                throw new InteractionJsonException(fieldPath, "is required");
            }
        }
        return record;
    }

    private static object? ReadUnion(UnionSchema union, JsonElement json, string path)
    {
        var branches = union.Schemas.Where(s => s.Tag != Schema.Type.Null).ToList();
        if (branches.Count == 1)
        {
            return Read(branches[0], json, path);
        }
        Expect(json, JsonValueKind.Object, "an object with a \"type\"", path);
        var names = string.Join(", ", branches.Select(b => b.Name));
        if (!json.TryGetProperty(PayloadType, out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw new InteractionJsonException(Join(path, PayloadType), $"is required: one of {names}");
        }
        var name = type.GetString();
        var branch = branches.OfType<RecordSchema>().FirstOrDefault(b => b.Name == name)
            ?? throw new InteractionJsonException(Join(path, PayloadType), $"'{Shorten(name)}' is not one of {names}");
        return ReadRecord(branch, json, path, [], skip: PayloadType);
    }

    private static object ReadEnum(EnumSchema schema, JsonElement json, string path)
    {
        Expect(json, JsonValueKind.String, $"a string ({schema.Name})", path);
        var symbol = json.GetString()!;
        return schema.Contains(symbol)
            ? Enum.Parse(ClrType(schema), symbol)
            : throw new InteractionJsonException(path, $"'{Shorten(symbol)}' is not a {schema.Name} (one of {string.Join(", ", schema.Symbols)})");
    }

    private static IList ReadArray(ArraySchema schema, JsonElement json, string path)
    {
        Expect(json, JsonValueKind.Array, "an array", path);
        var length = json.GetArrayLength();
        if (length > MaxItems)
        {
            throw new InteractionJsonException(path, $"has {length} items, more than {MaxItems}");
        }
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(ClrType(schema.ItemSchema)), length)!;
        var index = 0;
        foreach (var item in json.EnumerateArray())
        {
            list.Add(Read(schema.ItemSchema, item, $"{path}[{index++}]"));
        }
        return list;
    }

    private static IDictionary ReadMap(MapSchema schema, JsonElement json, string path)
    {
        Expect(json, JsonValueKind.Object, "an object", path);
        var map = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), ClrType(schema.ValueSchema)))!;
        foreach (var entry in json.EnumerateObject())
        {
            if (map.Count == MaxItems)
            {
                throw new InteractionJsonException(path, $"has more than {MaxItems} entries");
            }
            var key = Bounded(entry.Name, Join(path, Shorten(entry.Name)));
            map[key] = Read(schema.ValueSchema, entry.Value, Join(path, key));
        }
        return map;
    }

    private static object ReadLogical(LogicalSchema schema, JsonElement json, string path)
    {
        switch (schema.LogicalTypeName)
        {
            case "uuid":
                Expect(json, JsonValueKind.String, "a UUID", path);
                return Guid.TryParse(json.GetString(), out var id) ? id : throw new InteractionJsonException(path, "is not a UUID");
            case "timestamp-millis":
                Expect(json, JsonValueKind.String, "a time (ISO 8601, e.g. 2026-11-30T10:15:00Z)", path);
                var text = json.GetString()!;
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
                {
                    throw new InteractionJsonException(path, $"'{Shorten(text)}' is not an ISO 8601 time");
                }
                return HasZone(text) ? at.UtcDateTime : throw new InteractionJsonException(path, "needs a time zone (Z or an offset such as +01:00)");
            case "decimal":
                Expect(json, JsonValueKind.Number, "a number", path);
                if (!json.TryGetDecimal(out var amount))
                {
                    throw new InteractionJsonException(path, "is out of range");
                }
                return amount.Scale <= Amount.Scale ? Amount.Of(amount) : throw new InteractionJsonException(path, $"has more than {Amount.Scale} decimals");
            default:
                throw new InteractionJsonException(path, $"has a logical type ({schema.LogicalTypeName}) that JSON input does not support");
        }
    }

    private static object? ReadPrimitive(PrimitiveSchema schema, JsonElement json, string path)
    {
        switch (schema.Tag)
        {
            case Schema.Type.String:
                Expect(json, JsonValueKind.String, "a string", path);
                return Bounded(json.GetString()!, path);
            case Schema.Type.Int:
                Expect(json, JsonValueKind.Number, "an integer", path);
                return json.TryGetInt32(out var i) ? i : throw new InteractionJsonException(path, "is not a 32-bit integer");
            case Schema.Type.Long:
                Expect(json, JsonValueKind.Number, "an integer", path);
                return json.TryGetInt64(out var l) ? l : throw new InteractionJsonException(path, "is not a 64-bit integer");
            case Schema.Type.Double:
                Expect(json, JsonValueKind.Number, "a number", path);
                return json.GetDouble();
            case Schema.Type.Boolean:
                return json.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw new InteractionJsonException(path, $"must be true or false, not {Describe(json.ValueKind)}"),
                };
            default:
                throw new InteractionJsonException(path, $"has a schema type ({schema.Tag}) that JSON input does not support");
        }
    }

    private static Type ClrType(Schema schema) => schema switch
    {
        RecordSchema or EnumSchema => typeof(InteractionEvent).Assembly.GetType(((NamedSchema)schema).Fullname, throwOnError: true)!,
        UnionSchema union when union.Schemas.Count(s => s.Tag != Schema.Type.Null) == 1 => NullableOf(ClrType(union.Schemas.Single(s => s.Tag != Schema.Type.Null))),
        ArraySchema array => typeof(IList<>).MakeGenericType(ClrType(array.ItemSchema)),
        MapSchema map => typeof(IDictionary<,>).MakeGenericType(typeof(string), ClrType(map.ValueSchema)),
        LogicalSchema { LogicalTypeName: "uuid" } => typeof(Guid),
        LogicalSchema { LogicalTypeName: "timestamp-millis" } => typeof(DateTime),
        LogicalSchema { LogicalTypeName: "decimal" } => typeof(AvroDecimal),
        _ => schema.Tag switch
        {
            Schema.Type.String => typeof(string),
            Schema.Type.Int => typeof(int),
            Schema.Type.Long => typeof(long),
            Schema.Type.Double => typeof(double),
            Schema.Type.Boolean => typeof(bool),
            _ => typeof(object),
        },
    };

    private static Type NullableOf(Type type) => type.IsValueType ? typeof(Nullable<>).MakeGenericType(type) : type;

    private static bool Nullable(Schema schema) => schema is UnionSchema union && union.Schemas.Any(s => s.Tag == Schema.Type.Null);

    // An offset or Z after the time of day: DateTimeOffset would otherwise take the machine's zone.
    private static bool HasZone(string text)
    {
        var time = text.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        return time >= 0 && (text.EndsWith('Z') || text.EndsWith('z') || text.IndexOfAny(['+', '-'], time) >= 0);
    }

    private static void Expect(JsonElement json, JsonValueKind kind, string what, string path)
    {
        if (json.ValueKind != kind)
        {
            throw new InteractionJsonException(path, $"must be {what}, not {Describe(json.ValueKind)}");
        }
    }

    private static string Bounded(string text, string path) => text.Length <= MaxStringLength
        ? text
        : throw new InteractionJsonException(path, $"is {text.Length} characters long, more than {MaxStringLength}");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    // Input echoed in an error stays short.
    private static string Shorten(string? text) => text is null ? "" : text.Length <= 64 ? text : text[..64] + "…";

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
