namespace OmniStream.Schemas.Wire;

/// <summary>
/// A contract type's own reader and writer of Avro's binary encoding of its current schema, generated
/// from the schema by OmniStream.SchemaGen: no reflection, no boxing, no intermediate stream. Apache.Avro
/// stays for data written with other versions of the schema, and is the oracle the tests hold these to.
/// </summary>
/// <typeparam name="T">The contract type.</typeparam>
public interface IAvroBinary<T> where T : IAvroBinary<T>
{
    /// <summary>Writes this value.</summary>
    void WriteAvro(ref AvroWriter writer);

    /// <summary>Reads a value written with the current schema.</summary>
    static abstract T ReadAvro(ref AvroReader reader);

    /// <summary>
    /// Reads a value written with the current schema into <paramref name="reuse"/> (every field set; its records and lists
    /// read into again), or into a new one when it is null.
    /// </summary>
    static abstract T ReadAvro(ref AvroReader reader, T? reuse);

    /// <summary>
    /// Reads a value as <see cref="ReadAvro(ref AvroReader, T)"/> does, except the fields whose bits (the
    /// type's generated <c>AvroFields</c>) are in <paramref name="skipped"/>: read past and left at their defaults.
    /// </summary>
    static abstract T ReadAvro(ref AvroReader reader, T? reuse, ulong skipped);

    /// <summary>Reads past a value written with the current schema, checking it as <see cref="ReadAvro(ref AvroReader)"/> does, without making it.</summary>
    static abstract void SkipAvro(ref AvroReader reader);
}
