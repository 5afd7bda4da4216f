using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;

namespace OmniStream.Streaming.Tasks;

/// <summary>
/// An earlier stage's progress, which its engine writes into every partition of the topics a later
/// stage reads: the sending stage, and for each input partition the sending instance owns, the time
/// up to which that partition's records have been forwarded. The later stage's timers wait until
/// every input partition of every stage that feeds it has reported past their due time, so that a
/// stalled partition (its owner killed, a rebalance under way) holds timers back rather than
/// letting them fire before the records that would have cancelled them.
/// </summary>
/// <param name="Stage">The sending stage; empty in a watermark of version 1 (OmniStream before stages could have several feeding stages), which named none.</param>
/// <param name="SourcePartitions">How many input partitions the sending stage has in all.</param>
/// <param name="Sources">The progress of the partitions the sender owns.</param>
internal sealed record Watermark(string Stage, int SourcePartitions, IReadOnlyList<SourceProgress> Sources)
{
    /// <summary>The header that marks a record as a watermark rather than data.</summary>
    public const string Header = "omnistream.watermark";

    private const byte Unnamed = 1;
    private const byte Version = 2;

    // A topic of at least one byte with its length, a partition and a time.
    private const int MinSourceLength = 2 + 1 + 4 + 8;

    public static bool IsWatermark(Headers? headers) => headers is not null && headers.TryGetLastBytes(Header, out _);

    /// <summary>Version, stage (length-prefixed UTF-8), total, count, then per source: topic (length-prefixed UTF-8), partition, time (ticks); big-endian.</summary>
    public byte[] Encode()
    {
        var stage = Encoding.UTF8.GetBytes(Stage);
        var topics = Sources.Select(s => Encoding.UTF8.GetBytes(s.Topic)).ToList();
        var bytes = new byte[1 + 2 + stage.Length + 4 + 4 + topics.Sum(t => 2 + t.Length + 4 + 8)];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(1), (short)stage.Length);
        stage.CopyTo(bytes, 3);
        var at = 3 + stage.Length;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at), SourcePartitions);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at + 4), Sources.Count);
        at += 8;
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

    /// <summary>Reads a watermark of version 2 or 1; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static Watermark Decode(ReadOnlySpan<byte> bytes)
    {
        var (stage, at) = bytes.IsEmpty ? ("", 0) : bytes[0] switch
        {
            Unnamed => ("", 1),
            Version when bytes.Length >= 3 && BinaryPrimitives.ReadInt16BigEndian(bytes[1..]) is > 0 and var length && bytes.Length >= 3 + length =>
                (Encoding.UTF8.GetString(bytes.Slice(3, length)), 3 + length),
            _ => ("", 0),
        };
        if (at == 0 || bytes.Length < at + 8)
        {
            throw new FormatException($"a watermark starts with version {Version}, its stage and two counts (got {bytes.Length} bytes{(bytes.Length > 0 ? $", version {bytes[0]}" : "")})");
        }
        var total = BinaryPrimitives.ReadInt32BigEndian(bytes[at..]);
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes[(at + 4)..]);
        at += 8;
        if (total < 1 || count < 0 || count > total)
        {
            throw new FormatException($"a watermark's counts are out of range ({count} sources of {total})");
        }
        if (count > (bytes.Length - at) / MinSourceLength)
        {
            throw new FormatException($"a watermark of {bytes.Length} bytes cannot hold {count} sources");
        }
        var sources = new List<SourceProgress>(count);
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
        return new Watermark(stage, total, sources);
    }
}

/// <summary>How far one input partition of the earlier stage has been forwarded.</summary>
internal readonly record struct SourceProgress(string Topic, int Partition, DateTime Time);
