using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using OmniStream.Decisions.Learning;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Decisions;

/// <summary>
/// The learning counts of a task (actions sent and converted per arm), in store <c>action-stats</c>
/// of stage <c>customers</c>: each partition learns from its own customers, and its counts commit
/// with the decisions and outcomes that change them. The counts of the arms in use stay in memory
/// (a policy has few); those changed are written once per commit, as format byte
/// <see cref="Binary"/> and two big-endian longs (counts stored as JSON before are still read).
/// Keep one per task (<see cref="ITaskContext.Local{T}"/>): it goes with the task's memory when a
/// transaction aborts.
/// </summary>
public sealed class LearningCounts(ITaskContext task)
{
    /// <summary>The format byte of stored counts.</summary>
    public const byte Binary = 1;

    private readonly Dictionary<string, ArmStats> _known = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private Func<string, ArmStats>? _reader;

    /// <summary><see cref="Of"/>, as the decision engine reads counts.</summary>
    public Func<string, ArmStats> Reader => _reader ??= Of;

    /// <summary>The counts of an arm, as the task knows them.</summary>
    public ArmStats Of(string arm)
    {
        ArgumentNullException.ThrowIfNull(arm);
        if (!_known.TryGetValue(arm, out var stats))
        {
            _known[arm] = stats = task.ReadValueOrSetAside(WorkerTopology.ActionStatsStore, Encoding.UTF8.GetBytes(arm), Decode) ?? ArmStats.None;
        }
        return stats;
    }

    /// <summary>Counts an action sent under <paramref name="arm"/>.</summary>
    public void Sent(string arm) => Set(arm, Of(arm).WithSent());

    /// <summary>Counts a conversion of an action sent under <paramref name="arm"/>.</summary>
    public void Converted(string arm) => Set(arm, Of(arm).WithConverted());

    /// <summary>Writes the counts changed since the last commit.</summary>
    public void Write()
    {
        var store = task.Store(WorkerTopology.ActionStatsStore);
        foreach (var arm in _changed)
        {
            store.Put(Encoding.UTF8.GetBytes(arm), Encode(_known[arm]));
        }
        _changed.Clear();
    }

    /// <summary>The stored form of <paramref name="stats"/>.</summary>
    public static byte[] Encode(ArmStats stats)
    {
        var bytes = new byte[1 + 2 * sizeof(long)];
        bytes[0] = Binary;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), stats.Sent);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1 + sizeof(long)), stats.Converted);
        return bytes;
    }

    /// <summary>Stored counts, in either form.</summary>
    /// <exception cref="InvalidDataException">The bytes are not counts.</exception>
    public static ArmStats Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 1 + 2 * sizeof(long) && bytes[0] == Binary)
        {
            return new ArmStats(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1)), BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1 + sizeof(long))));
        }
        try
        {
            return JsonSerializer.Deserialize<ArmStats?>(bytes) ?? throw new InvalidDataException("stored learning counts are null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not stored learning counts: {e.Message}", e);
        }
    }

    private void Set(string arm, ArmStats stats)
    {
        _known[arm] = stats;
        _changed.Add(arm);
    }
}
