using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;

namespace OmniStream.Streaming.Tasks;

/// <summary>
/// An earlier stage's progress, which its engine writes into every partition of the topics a later
/// stage reads: for each input partition the sending instance owns, the time up to which that
/// partition's records have been forwarded. The later stage's timers wait until every input
/// partition of the earlier stage has reported past their due time, so that a stalled partition
/// (its owner killed, a rebalance under way) holds timers back rather than letting them fire
/// before the records that would have cancelled them.
/// </summary>
/// <param name="SourcePartitions">How many input partitions the earlier stage has in all.</param>
/// <param name="Sources">The progress of the partitions the sender owns.</param>
internal sealed record Watermark(int SourcePartitions, IReadOnlyList<SourceProgress> Sources)
{
    /// <summary>The header that marks a record as a watermark rather than data.</summary>
    public const string Header = "omnistream.watermark";

    private const byte Version = 1;

    // A topic of at least one byte with its length, a partition and a time.
    private const int MinSourceLength = 2 + 1 + 4 + 8;

    public static bool IsWatermark(Headers? headers) => headers is not null && headers.TryGetLastBytes(Header, out _);

    /// <summary>Version, total, count, then per source: topic (length-prefixed UTF-8), partition, time (ticks), big-endian.</summary>
    public byte[] Encode()
    {
        var topics = Sources.Select(s => Encoding.UTF8.GetBytes(s.Topic)).ToList();
        var bytes = new byte[1 + 4 + 4 + topics.Sum(t => 2 + t.Length + 4 + 8)];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), SourcePartitions);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(5), Sources.Count);
        var at = 9;
        for (var i = 0; i < Sources.Count; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(at), (short)topics[i].Length);
            topics[i].CopyTo(bytes, at + 2);
            at += 2 + topics[i].Length;
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at), Sources[i].Partition);
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(at + 4), Sources[i].Time.Ticks);
            at += 12;
        }
        return bytes;
    }

    /// <summary>Reads a watermark; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static Watermark Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 9 || bytes[0] != Version)
        {
            throw new FormatException($"a watermark starts with version {Version} and two counts (got {bytes.Length} bytes{(bytes.Length > 0 ? $", version {bytes[0]}" : "")})");
        }
        var total = BinaryPrimitives.ReadInt32BigEndian(bytes[1..]);
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes[5..]);
        if (total < 1 || count < 0 || count > total)
        {
            throw new FormatException($"a watermark's counts are out of range ({count} sources of {total})");
        }
        if (count > (bytes.Length - 9) / MinSourceLength)
        {
            throw new FormatException($"a watermark of {bytes.Length} bytes cannot hold {count} sources");
        }
        var sources = new List<SourceProgress>(count);
        var at = 9;
        for (var i = 0; i < count; i++)
        {
            var length = bytes.Length >= at + 2 ? BinaryPrimitives.ReadInt16BigEndian(bytes[at..]) : -1;
            if (length < 1 || bytes.Length < at + 2 + length + 12)
            {
                throw new FormatException($"watermark source {i} of {count} is truncated at byte {at}");
            }
            var topic = Encoding.UTF8.GetString(bytes.Slice(at + 2, length));
            at += 2 + length;
            var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes[(at + 4)..]);
            if (ticks is < 0 || ticks > DateTime.MaxValue.Ticks)
            {
                throw new FormatException($"watermark source {topic} has an impossible time ({ticks} ticks)");
            }
            sources.Add(new SourceProgress(topic, BinaryPrimitives.ReadInt32BigEndian(bytes[at..]), new DateTime(ticks, DateTimeKind.Utc)));
            at += 12;
        }
        if (at != bytes.Length)
        {
            throw new FormatException($"{bytes.Length - at} bytes left over after a watermark of {count} sources");
        }
        return new Watermark(total, sources);
    }
}

/// <summary>How far one input partition of the earlier stage has been forwarded.</summary>
internal readonly record struct SourceProgress(string Topic, int Partition, DateTime Time);
