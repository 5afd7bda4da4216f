namespace OmniStream.Schemas.Wire;

/// <summary>Reads the body of a message written with the current schema, in place.</summary>
public static class AvroBody
{
    /// <summary>
    /// Reads <paramref name="body"/>, a <paramref name="type"/> written with the current schema, with
    /// <paramref name="read"/>, which must read all of it; what does not read throws
    /// <see cref="AvroDecodeException"/> naming why, as <see cref="AvroSerde{T}.DeserializeAsync"/> does.
    /// </summary>
    public static TResult Read<TResult>(ReadOnlySpan<byte> body, string type, AvroRead<TResult> read) =>
        Read(body, type, read, static (ref AvroReader reader, AvroRead<TResult> read) => read(ref reader));

    /// <summary>Reads <paramref name="body"/> as <see cref="Read{TResult}(ReadOnlySpan{byte}, string, AvroRead{TResult})"/> does, with <paramref name="read"/> given <paramref name="state"/>.</summary>
    public static TResult Read<TState, TResult>(ReadOnlySpan<byte> body, string type, TState state, AvroRead<TState, TResult> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var reader = new AvroReader(body);
        TResult value;
        try
        {
            value = read(ref reader, state);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or InvalidCastException)
        {
            throw new AvroDecodeException(DecodeFailure.MalformedBody, $"{type} body of {body.Length} bytes does not decode: {e.GetType().Name}: {e.Message}", e);
        }
        return reader.Remaining == 0
            ? value
            : throw new AvroDecodeException(DecodeFailure.MalformedBody, $"{reader.Remaining} bytes left over after a {type} of {body.Length - reader.Remaining} bytes");
    }
}
