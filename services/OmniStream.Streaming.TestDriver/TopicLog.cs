using Confluent.Kafka;
using OmniStream.Streaming.State;

namespace OmniStream.Streaming.TestDriver;

/// <summary>
/// One of the driver's topics: per partition, its committed records in offset order. A compacted
/// topic (a changelog) also keeps the last record of each key, which a restore reads. Records every
/// reader has passed can be dropped (<see cref="TrimBefore"/>), and a topic no stage reads can keep
/// nothing: offsets go on counting.
/// </summary>
internal sealed class TopicLog
{
    private readonly List<TestRecord>[] _records;
    private readonly long[] _first;
    private readonly long[] _end;
    private readonly Dictionary<byte[], TestRecord>[]? _latest;
    private readonly bool _keep;

    public TopicLog(string name, int partitions, bool compacted, bool keep)
    {
        Name = name;
        _records = [.. Enumerable.Range(0, partitions).Select(_ => new List<TestRecord>())];
        _first = new long[partitions];
        _end = new long[partitions];
        _latest = compacted ? [.. Enumerable.Range(0, partitions).Select(_ => new Dictionary<byte[], TestRecord>(ByteArrayComparer.Instance))] : null;
        _keep = keep;
    }

    public string Name { get; }

    public int Partitions => _records.Length;

    /// <summary>The offset the next record of <paramref name="partition"/> gets.</summary>
    public long EndOffset(int partition) => _end[partition];

    /// <summary>Appends a committed record; returns its offset.</summary>
    public long Append(int partition, byte[]? key, byte[]? value, Headers? headers, DateTime timestamp)
    {
        var offset = _end[partition]++;
        if (!_keep && _latest is null)
        {
            _first[partition] = _end[partition];
            return offset;
        }
        var record = new TestRecord(Name, partition, offset, key, value, headers, timestamp);
        if (_keep)
        {
            _records[partition].Add(record);
        }
        else
        {
            _first[partition] = _end[partition];
        }
        if (_latest is { } latest && key is not null)
        {
            latest[partition][key] = record;
        }
        return offset;
    }

    /// <summary>The record at <paramref name="offset"/>; it must be kept.</summary>
    public TestRecord At(int partition, long offset) =>
        offset >= _first[partition] && offset < _end[partition]
            ? _records[partition][(int)(offset - _first[partition])]
            : throw new InvalidOperationException($"{Name}-{partition} holds offsets {_first[partition]}..{_end[partition] - 1}, not {offset}");

    /// <summary>The records kept, partition by partition, in offset order.</summary>
    public IEnumerable<TestRecord> All => _records.SelectMany(records => records);

    /// <summary>The last record of each key of <paramref name="partition"/> (tombstones included), in offset order: what compaction keeps.</summary>
    public IEnumerable<TestRecord> Compacted(int partition) =>
        _latest is { } latest ? latest[partition].Values.OrderBy(r => r.Offset)
        : _end[partition] == 0 ? []
        : throw new InvalidOperationException($"{Name} kept no records (the driver's KeepRecords is false): a store cannot be restored from it");

    /// <summary>Drops the records of <paramref name="partition"/> before <paramref name="offset"/>.</summary>
    public void TrimBefore(int partition, long offset)
    {
        var drop = (int)Math.Min(offset - _first[partition], _records[partition].Count);
        if (drop > 0)
        {
            _records[partition].RemoveRange(0, drop);
            _first[partition] += drop;
        }
    }
}
