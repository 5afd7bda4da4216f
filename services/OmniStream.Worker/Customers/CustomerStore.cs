using System.IO.Hashing;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Decisions;
using OmniStream.Worker.Kpis;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Customers;

/// <summary>
/// A task's view of the customers store, with the decisions, timers and published profile that go
/// with each customer. A state is stored as its core and its parts (<see cref="CustomerLayout"/>): a
/// write puts the core and only the timeline lines and actions that changed, so an event's changelog
/// records are the core and the line it added. States saved during a commit interval stay decoded in
/// memory and are encoded into the store once, at commit (<see cref="WriteUnsaved"/>): a customer
/// touched twice in one interval (an event, then the timer it armed) costs one encoding and no
/// decoding. The states read or written most recently stay decoded too, within this task's share of
/// <paramref name="cache"/> (in bytes of their stored form). Profiles go out at commit too: the last
/// one of each customer changed in the interval, and only when it differs from the one this task
/// last published for them (as far as it remembers). The task drops this memory with its other
/// locals when a transaction aborts or it closes.
/// </summary>
public sealed class CustomerStore(ITaskContext task, ActionDecider decider, SegmentWriter segments, ProfileWriter profiles, TimeProvider time, CacheBudget cache) : IDisposable
{
    private readonly IKeyValueStore _states = task.Store(WorkerTopology.CustomersStore);
    private readonly Dictionary<byte[], CustomerState> _unsaved = new(ByteArrayComparer.Instance);
    // Per customer read since the last commit: the state whose timeline and actions are the parts stored now.
    // A customer missing here has parts unknown to this task; they are listed from the store when it is written.
    private readonly Dictionary<byte[], CustomerState> _stored = new(ByteArrayComparer.Instance);
    private readonly DecodedValueCache<CustomerState> _recent = new(cache);
    private readonly Dictionary<byte[], byte[]> _pendingProfiles = new(ByteArrayComparer.Instance);
    private readonly Dictionary<byte[], ulong> _publishedProfiles = new(ByteArrayComparer.Instance);

    /// <summary>How many customers' last published profile (a 64-bit hash) a task remembers; past it, it forgets them all and republishes.</summary>
    public const int RememberedProfiles = 50_000;

    // What a timeline line or an action takes stored, about, for the cache's budget.
    private const int PartBytes = 100;

    /// <summary>The task's pending timers, by customer key.</summary>
    public PersistentTimers Timers { get; } =
        task.Local(WorkerTopology.TimersStore, () => new PersistentTimers(task.Store(WorkerTopology.TimersStore)));

    /// <summary>
    /// The stored state of <paramref name="key"/>, or null. A stored state that cannot be read is set
    /// aside (dead letter) and the customer starts afresh: failing instead would dead-letter every
    /// later event of the customer.
    /// </summary>
    public CustomerState? Load(byte[] key)
    {
        if (_unsaved.TryGetValue(key, out var state))
        {
            return state;
        }
        if (_recent.TryGet(key, out state) && state is not null)
        {
            _stored.TryAdd(key, state);
            return state;
        }
        var size = 0;
        var core = task.ReadOrSetAside(WorkerTopology.CustomersStore, key, bytes =>
        {
            size = bytes.Length;
            return CustomerStateCodec.Decode(bytes);
        });
        if (core is null)
        {
            return null;
        }
        var parts = ReadParts(key, ref size);
        state = CustomerLayout.Join(core, parts);
        _stored.TryAdd(key, CustomerLayout.Join(CustomerLayout.Core(core), parts));
        // A core stored whole (before parts) is not cached: the cache holds states whose lists are stored as parts.
        if (ReferenceEquals(CustomerLayout.Core(core), core))
        {
            _recent.Set(key, state, size);
        }
        return state;
    }

    /// <summary>
    /// Stores <paramref name="state"/> with its segments re-evaluated and the moments that
    /// <paramref name="interaction"/> (if any) and the segments entered trigger decided; arms its timer
    /// for its next waiting moment or the next time its segments may change by time alone (whichever
    /// comes first), and publishes its profile; returns what it stored.
    /// </summary>
    public async ValueTask<CustomerState> SaveAsync(byte[] key, CustomerState state, InteractionEvent? interaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var segmented = await segments.ApplyAsync(task, key, state, cancellationToken).ConfigureAwait(false);
        var decided = await decider.OnChangeAsync(task, segmented, interaction, Entered(state, segmented), Now, cancellationToken).ConfigureAwait(false);
        await StoreAsync(key, decided, cancellationToken).ConfigureAwait(false);
        return decided;
    }

    /// <summary>
    /// The customer's timer fired at <paramref name="now"/>: re-evaluates the segments, decides the
    /// moments due and those of segments entered; stores the state if that changed it, else only re-arms its timer.
    /// </summary>
    public async ValueTask FireAsync(byte[] key, CustomerState state, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var segmented = await segments.ApplyAsync(task, key, state, cancellationToken).ConfigureAwait(false);
        var decided = await decider.OnTimeAsync(task, segmented, Entered(state, segmented), now, cancellationToken).ConfigureAwait(false);
        if (ReferenceEquals(decided, state))
        {
            Arm(key, state);
        }
        else
        {
            // Decisions change actions and waiting moments, which the profile does not show: it changes only with the segments.
            await StoreAsync(key, decided, cancellationToken, publishProfile: !ReferenceEquals(segmented, state)).ConfigureAwait(false);
        }
    }

    /// <summary>Removes the state of <paramref name="key"/> (its core and parts), its timer, its journeys and its profile (tombstones in the changelogs and the profiles topic).</summary>
    public void Delete(byte[] key)
    {
        _unsaved.Remove(key);
        _recent.Remove(key);
        _pendingProfiles.Remove(key);
        _publishedProfiles.Remove(key);
        _states.Delete(key);
        foreach (var (part, _) in _states.PartsOf(key).ToList())
        {
            _states.Delete(part);
        }
        _stored.Remove(key);
        KpiRecorder.Forget(task, key);
        Timers.Cancel(key);
        ProfileWriter.Remove(task, key);
    }

    private async ValueTask StoreAsync(byte[] key, CustomerState state, CancellationToken cancellationToken, bool publishProfile = true)
    {
        _unsaved[key] = state;
        Arm(key, state);
        if (publishProfile)
        {
            _pendingProfiles[key] = await profiles.SerializeAsync(state, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Encodes the states saved since the last commit into the store (the engine then sends them to its
    /// changelog) and publishes the changed profiles.
    /// </summary>
    public void WriteUnsaved()
    {
        foreach (var (key, state) in _unsaved)
        {
            var core = CustomerStateCodec.Encode(CustomerLayout.Core(state));
            _states.Put(key, core);
            var stored = _stored.TryGetValue(key, out var before) ? CustomerLayout.PartsOf(before) : ListParts(key);
            foreach (var (part, value) in CustomerLayout.Changes(stored, state))
            {
                var partKey = KeyParts.Of(key, part.Suffix);
                if (value is null)
                {
                    _states.Delete(partKey);
                }
                else
                {
                    _states.Put(partKey, value);
                }
            }
            _recent.Set(key, state, core.Length + PartBytes * (state.Interactions.Count + state.Actions.Count));
        }
        _unsaved.Clear();
        _stored.Clear();
        foreach (var (key, profile) in _pendingProfiles)
        {
            var hash = XxHash64.HashToUInt64(profile);
            if (_publishedProfiles.TryGetValue(key, out var published) && published == hash)
            {
                continue;
            }
            if (_publishedProfiles.Count >= RememberedProfiles)
            {
                _publishedProfiles.Clear();
            }
            _publishedProfiles[key] = hash;
            ProfileWriter.Send(task, key, profile);
        }
        _pendingProfiles.Clear();
    }

    // The stored parts of a customer, decoded; a part that cannot be read is set aside and deleted, as a core would be.
    private List<IStamped> ReadParts(byte[] key, ref int size)
    {
        var parts = new List<IStamped>();
        foreach (var (partKey, value) in _states.PartsOf(key).ToList())
        {
            size += value.Length;
            try
            {
                parts.Add(StoredCustomers.DecodePart(key, partKey, value));
            }
            catch (InvalidDataException e)
            {
                task.SetAside(WorkerTopology.CustomersStore, partKey, value, e);
                _states.Delete(partKey);
            }
        }
        return parts;
    }

    // The parts stored for a customer this task has not read since the last commit (new, or started afresh).
    private Dictionary<CustomerPart, IStamped?> ListParts(byte[] key)
    {
        var parts = new Dictionary<CustomerPart, IStamped?>();
        foreach (var (partKey, _) in _states.PartsOf(key))
        {
            if (CustomerPart.TryRead(KeyParts.SuffixOf(partKey, key.Length), out var part))
            {
                parts[part] = null;
            }
        }
        return parts;
    }

    /// <summary>Lets go of the decoded states, giving the task's share of the cache back.</summary>
    public void Dispose() => _recent.Dispose();

    private void Arm(byte[] key, CustomerState state)
    {
        if (Earliest(state.NextDue, segments.NextChange(state)) is { } due)
        {
            Timers.Schedule(key, due);
        }
        else
        {
            Timers.Cancel(key);
        }
    }

    private static string[] Entered(CustomerState before, CustomerState after) => [.. after.Segments.Except(before.Segments)];

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static DateTime? Earliest(DateTime? first, DateTime? second) =>
        first is { } a && second is { } b ? (a < b ? a : b) : first ?? second;
}
