using Avro;
using Avro.Generic;
using Avro.IO;

namespace OmniStream.Schemas.Tests.Catalog;

/// <summary>Writes a datum with one schema and reads it with another, as Avro's schema resolution does for a reader that is not the writer.</summary>
internal static class AvroResolution
{
    public static byte[] Write(Schema schema, object? datum)
    {
        using var output = new MemoryStream();
        new GenericDatumWriter<object?>(schema).Write(datum, new BinaryEncoder(output));
        return output.ToArray();
    }

    public static object Read(Schema writer, Schema reader, byte[] bytes) =>
        new GenericDatumReader<object>(writer, reader).Read(null!, new BinaryDecoder(new MemoryStream(bytes)));
}
