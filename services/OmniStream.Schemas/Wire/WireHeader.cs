using System.Buffers.Binary;

namespace OmniStream.Schemas.Wire;

/// <summary>
/// The two framings OmniStream reads and writes: Avro single-object encoding (C3 01 + 8-byte
/// little-endian CRC-64-AVRO fingerprint) and Confluent's (magic byte 0 + 4-byte big-endian schema id).
/// </summary>
public readonly record struct WireHeader(WireFormat Format, long Fingerprint, int SchemaId, int Length)
{
    /// <summary>Length of a single-object header.</summary>
    public const int SingleObjectLength = 10;

    /// <summary>Length of a Confluent header.</summary>
    public const int ConfluentLength = 5;

    /// <summary>Writes a single-object header for a schema fingerprint.</summary>
    public static void WriteSingleObject(Stream output, long fingerprint)
    {
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> header = stackalloc byte[SingleObjectLength];
        WriteSingleObject(header, fingerprint);
        output.Write(header);
    }

    /// <summary>Writes a single-object header for a schema fingerprint into <paramref name="header"/> (<see cref="SingleObjectLength"/> bytes).</summary>
    public static void WriteSingleObject(Span<byte> header, long fingerprint)
    {
        header[0] = 0xC3;
        header[1] = 0x01;
        BinaryPrimitives.WriteInt64LittleEndian(header[2..], fingerprint);
    }

    /// <summary>Writes a Confluent header for a registry schema id.</summary>
    public static void WriteConfluent(Stream output, int schemaId)
    {
        Span<byte> header = stackalloc byte[ConfluentLength];
        header[0] = 0x00;
        BinaryPrimitives.WriteInt32BigEndian(header[1..], schemaId);
        output.Write(header);
    }

    /// <summary>Reads the header of a message, or throws <see cref="AvroDecodeException"/> naming why not.</summary>
    public static WireHeader Read(ReadOnlySpan<byte> message)
    {
        if (message.IsEmpty)
        {
            throw new AvroDecodeException(DecodeFailure.Empty, "the message has no bytes");
        }

        if (message[0] == 0xC3)
        {
            if (message.Length < SingleObjectLength || message[1] != 0x01)
            {
                throw new AvroDecodeException(DecodeFailure.TruncatedHeader,
                    $"single-object header needs C3 01 and 8 fingerprint bytes; got {message.Length} bytes");
            }
            return new WireHeader(WireFormat.SingleObject, BinaryPrimitives.ReadInt64LittleEndian(message[2..]), 0, SingleObjectLength);
        }

        if (message[0] == 0x00)
        {
            if (message.Length < ConfluentLength)
            {
                throw new AvroDecodeException(DecodeFailure.TruncatedHeader,
                    $"Confluent header needs a magic byte and 4 schema-id bytes; got {message.Length} bytes");
            }
            return new WireHeader(WireFormat.Confluent, 0, BinaryPrimitives.ReadInt32BigEndian(message[1..]), ConfluentLength);
        }

        throw new AvroDecodeException(DecodeFailure.UnknownFormat,
            $"first byte 0x{message[0]:X2} is neither single-object (0xC3 0x01) nor Confluent (0x00)");
    }
}
