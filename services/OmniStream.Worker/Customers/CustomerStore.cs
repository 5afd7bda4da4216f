using System.Buffers;
using System.IO.Hashing;
using System.Text;
using OmniStream.Customers.State;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Customers;

/// <summary>
/// A task's customers: it loads a customer's working state (from memory, else from the store) and
/// saves the states changed since the last commit, once, at commit. A state lies in the store as its
/// core under the customer's key and its other sections, timeline lines and actions as parts
/// (<see cref="CustomerLayout"/>): a commit writes only the sections whose bytes changed (known by a
/// hash of what the store holds) and the lines and actions added, changed or dropped. Reading a state
/// reads its core, its sections and its actions, and only the keys and first bytes of its lines (the
/// timeline's index).
/// States stay decoded between records within the task's share of <paramref name="cache"/>;
/// a changed state stays until it is written. A state stored before the working state (formats 1
/// and 2) is read with its journeys and timer from where they were kept then, and written in the new
/// layout at the next commit. The task drops this memory with its other locals when a transaction
/// aborts or it closes.
/// </summary>
public sealed class CustomerStore(ITaskContext task, CacheBudget cache) : IDisposable
{
    private readonly IKeyValueStore _states = task.Store(WorkerTopology.CustomersStore);
    private readonly WorkingStateCache<CustomerState> _cache = new(cache);
    private readonly Dictionary<byte[], CustomerState> _changed = new(ByteArrayComparer.Instance);
    private readonly LegacyCustomerParts _legacyParts = new(task);
    private readonly ArrayBufferWriter<byte> _section = new(1024);

    /// <summary>The states changed since the last commit, by key.</summary>
    public IReadOnlyDictionary<byte[], CustomerState> Unwritten => _changed;

    /// <summary>
    /// The state of <paramref name="key"/>, or null when none is stored. A stored state that cannot be
    /// read is set aside (dead letter) and the customer starts afresh: failing instead would
    /// dead-letter every later event of the customer.
    /// </summary>
    public CustomerState? Load(byte[] key) => _cache.TryGet(key, out var state) ? state : Read(key);

    // A customer not in memory, read from the store (with its parts) and kept; null when not stored.
    private CustomerState? Read(byte[] key)
    {
        var legacy = false;
        var hash = 0UL;
        var core = task.ReadOrSetAside(WorkerTopology.CustomersStore, key, bytes =>
        {
            legacy = bytes is not [CustomerStateCodec.Section, ..];
            hash = Hash(bytes);
            return CustomerStateCodec.Decode(bytes);
        });
        if (core is null)
        {
            return null;
        }
        core.StoredSections[StateSections.Core] = legacy ? 0 : hash;
        ReadParts(key, core);
        if (legacy)
        {
            _legacyParts.Migrate(key, core);
        }
        _cache.Add(key, core, CustomerFootprint.Of(core), pinned: legacy);
        if (legacy)
        {
            _changed[key] = core;
        }
        return core;
    }

    /// <summary>A new customer, held as changed.</summary>
    public CustomerState Create(byte[] key)
    {
        var state = new CustomerState(Encoding.UTF8.GetString(key));
        _cache.Add(key, state, CustomerFootprint.Of(state), pinned: true);
        _changed[key] = state;
        return state;
    }

    /// <summary>The state of <paramref name="key"/> with every timeline line held whole (for a hand-over), or null.</summary>
    public CustomerState? LoadWhole(byte[] key)
    {
        if (Load(key) is not { } state)
        {
            return null;
        }
        foreach (var entry in state.Timeline.Entries.Where(e => e.Line is null).ToList())
        {
            var part = CustomerPart.Line(entry.EventId);
            if (_states.Find(part.KeyOf(key)) is { } value)
            {
                state.Timeline.Hold((InteractionRecord)CustomerLayout.DecodePart(part, value));
            }
        }
        return state;
    }

    /// <summary>Notes that <paramref name="state"/> changed: it is written at the next commit.</summary>
    public void Changed(byte[] key, CustomerState state)
    {
        if (_changed.TryAdd(key, state))
        {
            _cache.Pin(key);
        }
    }

    /// <summary>The customer's timer is now stored at <paramref name="due"/>: the state keeps it (and is written).</summary>
    public void TimerStored(byte[] key, DateTime? due)
    {
        if (Load(key) is { } state && state.ArmedDue != due)
        {
            state.ArmedDue = due;
            Changed(key, state);
        }
    }

    /// <summary>Removes the state of <paramref name="key"/>: its core and every part (tombstones in the changelog).</summary>
    public void Delete(byte[] key)
    {
        _cache.Remove(key);
        _changed.Remove(key);
        _states.Delete(key);
        foreach (var (part, _) in _states.PartsOf(key).ToList())
        {
            _states.Delete(part);
        }
        _legacyParts.Delete(key);
    }

    /// <summary>Writes every state changed since the last commit: its core, and its parts added, changed or dropped.</summary>
    public void WriteChanged()
    {
        foreach (var (key, state) in _changed)
        {
            WriteSections(key, state);
            state.Timeline.ForEachUnwritten((_states, key), static (to, eventId, line) => to._states.Put(CustomerPart.Line(eventId).KeyOf(to.key), line));
            foreach (var eventId in state.Timeline.Removed)
            {
                _states.Delete(CustomerPart.Line(eventId).KeyOf(key));
            }
            state.Actions.ForEachChanged((_states, key), static (to, action) => to._states.Put(CustomerPart.Action(action.ActionId).KeyOf(to.key), CustomerLayout.EncodeAction(action)));
            foreach (var actionId in state.Actions.Removed)
            {
                _states.Delete(CustomerPart.Action(actionId).KeyOf(key));
            }
            state.Timeline.MarkWritten();
            state.Actions.MarkWritten();
            _legacyParts.Written(key);
            _cache.Unpin(key, CustomerFootprint.Of(state));
        }
        _changed.Clear();
        _cache.Evict();
    }

    /// <summary>Lets go of the states held, giving the task's share of the cache back.</summary>
    public void Dispose() => _cache.Dispose();

    // Each section encoded into one buffer and written only when its hash differs from the stored one's; an emptied section is deleted.
    private void WriteSections(byte[] key, CustomerState state)
    {
        for (var section = 0; section < StateSections.Count; section++)
        {
            var stored = state.StoredSections[section];
            if (section != StateSections.Core && StateSections.IsEmpty(state, section))
            {
                if (stored != 0)
                {
                    _states.Delete(SectionKey(key, state, section));
                    state.StoredSections[section] = 0;
                }
                continue;
            }
            if (stored != 0 && StateSections.MarksChanges(section) && !state.IsMarkedChanged(section))
            {
#if DEBUG
                // Tests build in Debug: a change that does not mark its section fails them, where a release would lose it.
                if (Encoded(state, section) != stored)
                {
                    throw new InvalidOperationException($"section {section} of customer '{state.CustomerId}' changed without being marked");
                }
#endif
                continue;
            }
            var hash = Encoded(state, section);
            if (hash != stored)
            {
                _states.Put(section == StateSections.Core ? key : SectionKey(key, state, section), _section.WrittenSpan.ToArray());
                state.StoredSections[section] = hash;
            }
        }
        state.ClearChangeMarks();
    }

    private static byte[] SectionKey(byte[] key, CustomerState state, int section) =>
        state.SectionKeys[section] ??= CustomerPart.OfSection(section).KeyOf(key);

    // Encodes a section into the buffer; returns the hash of its bytes.
    private ulong Encoded(CustomerState state, int section)
    {
        _section.ResetWrittenCount();
        CustomerStateCodec.WriteSection(state, section, _section);
        return Hash(_section.WrittenSpan);
    }

    // 0 stands for "nothing stored", so no hash is 0.
    private static ulong Hash(ReadOnlySpan<byte> bytes) => Math.Max(1, XxHash64.HashToUInt64(bytes));

    // Actions, sections, and the timeline's index from the lines' first bytes (the lines after them in key order, held
    // whole only when a view or a merge reads them); a part that cannot be read is set aside and deleted, as a core would be.
    private void ReadParts(byte[] key, CustomerState state)
    {
        List<(Guid EventId, DateTime At)>? lines = null;
        foreach (var (partKey, value) in _states.Scan(KeyParts.Of(key, [CustomerPart.ActionKind]), KeyParts.Of(key, [CustomerPart.LineKind + 1])))
        {
            try
            {
                var part = StoredCustomers.PartOf(key, partKey);
                if (part.Kind == CustomerPart.LineKind)
                {
                    (lines ??= []).Add(CustomerLayout.ReadLineIndex(part, value));
                    continue;
                }
                CustomerLayout.Add(state, part, value);
                if (part.Kind == CustomerPart.SectionKind)
                {
                    state.StoredSections[part.Section] = Hash(value);
                }
            }
            catch (InvalidDataException e)
            {
                task.SetAside(WorkerTopology.CustomersStore, partKey, value, e);
                _states.Delete(partKey);
            }
        }
        if (lines is not null)
        {
            // Newest first, as the timeline holds them: each then goes last without a place to look for.
            lines.Sort(static (a, b) => Stamped.IsNewer(a.At, a.EventId, b.At, b.EventId) ? -1 : Stamped.IsNewer(b.At, b.EventId, a.At, a.EventId) ? 1 : 0);
            foreach (var (eventId, at) in lines)
            {
                state.Timeline.AddStored(at, eventId);
            }
        }
    }
}
