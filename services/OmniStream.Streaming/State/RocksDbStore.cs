using RocksDbSharp;

namespace OmniStream.Streaming.State;

/// <summary>
/// A persistent store on RocksDB. Writes wait in memory until <see cref="Commit"/>, which applies
/// them together with the changelog checkpoint in one atomic batch; <see cref="Abort"/> drops them.
/// So the store on disk always matches a committed prefix of its changelog.
/// The changelog is the store's log: RocksDB's own write-ahead log is off (as in Kafka Streams),
/// and its column families flush together (atomic flush), so that after a crash the store holds
/// the data and checkpoint of one flush and replays the rest of its changelog. Writing the log
/// cost a third of the worker's commit time and kept 1.9 GB of log files on disk after the bench;
/// without it the bench leaves 40 MB.
/// </summary>
public sealed class RocksDbStore : IStoreShard
{
    private const string MetaFamily = "omnistream-meta";
    private static readonly byte[] CheckpointKey = "changelog-checkpoint"u8.ToArray();

    // Options set on DbOptions reach no column family once families are listed: each family takes
    // the options of its own entry, so the data family (default) is given its memtables and the
    // shared block cache explicitly. With RocksDB's defaults (64 MB memtables, a block cache per
    // store) the stage bench spent a third of the customers thread inserting into memtables' skip
    // lists, and every store could hold 128 MB of memtables. Measured in the stage bench (thread CPU
    // of the customers stage, two runs each): 64 MB 41 and 32 µs, 16 MB 32 and 25 µs, 4 MB 23 and 24 µs;
    // later, six pairs side by side, 8 MB against 4 MB: medians 22.8 and 19.5 µs (thread), 30.6 and
    // 27.5 µs (process). Smaller memtables flush more often, on RocksDB's own thread: the stage's
    // thread (the pipeline's busiest) gains more than the process does.
    // The small checkpoint family fills first and, flushes being atomic, flushes the data family with
    // it: a crash replays only the changelog since the last such flush.
    // Writing a commit's keys in key order (each insert into the skip list then starts near the last one) cut the skip
    // list's share of the commit from 31 % to 18 %, but sorting them cost as much: four pairs side by side, customers
    // 17.0 µs per event on its thread (median) unsorted against 18.0 sorted.
    private const ulong WriteBufferBytes = 4 * 1024 * 1024;
    private const ulong MetaWriteBufferBytes = 64 * 1024;
    private const ulong ManifestPreallocationBytes = 64 * 1024;
    private static readonly Cache SharedCache = Cache.CreateLru(64 * 1024 * 1024);

    private static readonly WriteOptions ChangelogIsTheLog = new WriteOptions().DisableWal(1);

    private readonly RocksDb _db;
    private readonly ColumnFamilyHandle _meta;
    private readonly PendingWrites _pending = new();
    // One batch per store, cleared after each commit: its buffer stays allocated (a new one per commit costs page faults).
    private readonly WriteBatch _batch = new();
    private bool _disposed;

    private RocksDbStore(string name, string directory, RocksDb db)
    {
        Name = name;
        Directory = directory;
        _db = db;
        _meta = db.GetColumnFamily(MetaFamily);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Where the store lives on disk.</summary>
    public string Directory { get; }

    /// <summary>The next changelog offset the store has not applied; null for a store never committed.</summary>
    public long? Checkpoint => _db.Get(CheckpointKey, _meta) is { } bytes ? BitConverter.ToInt64(bytes) : null;

    /// <inheritdoc />
    public int PendingWrites => _pending.Count;

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<byte[], byte[]?>> Pending => _pending.All;

    // Whether RocksDB is writing memtables to files now or has some waiting to be written.
    internal bool IsFlushing =>
        _db.GetProperty("rocksdb.num-running-flushes") != "0"
        || new[] { _db.GetDefaultColumnFamily(), _meta }.Any(family => _db.GetProperty("rocksdb.num-immutable-mem-table", family) != "0");

    /// <summary>RocksDB's estimate of the number of keys on disk.</summary>
    public long EstimatedKeys => long.TryParse(_db.GetProperty("rocksdb.estimate-num-keys"), out var n) ? n : 0;

    /// <summary>Opens (or creates) the store in <paramref name="directory"/>.</summary>
    /// <exception cref="RocksDbException">The files are unreadable; callers wipe and rebuild.</exception>
    public static RocksDbStore Open(string name, string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        // RocksDB would preallocate each manifest at 4 MB, for a store of a few keys.
        var options = new DbOptions().SetCreateIfMissing(true).SetCreateMissingColumnFamilies(true)
            .SetManifestPreallocationSize(ManifestPreallocationBytes);
        Native.Instance.rocksdb_options_set_atomic_flush(options.Handle, 1);
        // Bloom filters: a read of a key a file does not hold (a customer's first event) skips the file.
        var data = new ColumnFamilyOptions().SetWriteBufferSize(WriteBufferBytes).SetMaxWriteBufferNumber(2)
            .SetBlockBasedTableFactory(new BlockBasedTableOptions().SetBlockCache(SharedCache).SetFilterPolicy(BloomFilterPolicy.Create(10, false)).SetWholeKeyFiltering(true));
        var families = new ColumnFamilies(data) { { MetaFamily, new ColumnFamilyOptions().SetWriteBufferSize(MetaWriteBufferBytes) } };
        return new RocksDbStore(name, directory, RocksDb.Open(options, directory, families));
    }

    /// <inheritdoc />
    public byte[]? Find(byte[] key) => _pending.TryGet(key, out var pending) ? pending : _db.Get(key);

    /// <inheritdoc />
    public void Put(byte[] key, byte[] value) => Write(key, value);

    /// <inheritdoc />
    public byte[]? FindCommitted(byte[] key) => _db.Get(key);

    /// <inheritdoc />
    public void Delete(byte[] key) => Write(key, null);

    private void Write(byte[] key, byte[]? value) => _pending.Set(key, value);

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<byte[], byte[]>> Scan(byte[] fromInclusive, byte[] toExclusive) =>
        _pending.Over(CommittedRange(fromInclusive, toExclusive), fromInclusive, toExclusive);

    // The range's end is the iterator's upper bound: RocksDB reads no block past it (the next key's, often in another
    // file) to find where the range ends. The options hold a copy of the bound for as long as the iteration.
    private IEnumerable<KeyValuePair<byte[], byte[]>> CommittedRange(byte[] fromInclusive, byte[] toExclusive)
    {
        var read = new ReadOptions().SetIterateUpperBound(toExclusive);
        using var iterator = _db.NewIterator(null, read);
        for (iterator.Seek(fromInclusive); iterator.Valid(); iterator.Next())
        {
            yield return new(iterator.Key(), iterator.Value());
        }
        GC.KeepAlive(read);
    }

    /// <inheritdoc />
    public (byte[]? Value, List<KeyValuePair<byte[], byte[]>> Parts) FindCommittedWithParts(byte[] key)
    {
        using var snapshot = _db.CreateSnapshot();
        var read = new ReadOptions().SetSnapshot(snapshot);
        var value = _db.Get(key, null, read);
        var parts = new List<KeyValuePair<byte[], byte[]>>();
        if (value is not null)
        {
            var end = KeyParts.End(key);
            using var iterator = _db.NewIterator(null, read);
            for (iterator.Seek(KeyParts.Prefix(key)); iterator.Valid() && ByteArrayComparer.Instance.Compare(iterator.Key(), end) < 0; iterator.Next())
            {
                parts.Add(new(iterator.Key(), iterator.Value()));
            }
        }
        return (value, parts);
    }

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<byte[], byte[]>> ScanCommitted()
    {
        using var iterator = _db.NewIterator();
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
        {
            yield return new(iterator.Key(), iterator.Value());
        }
    }

    /// <inheritdoc />
    public void Commit(long checkpoint)
    {
        var batch = _batch.Clear();
        foreach (var (key, value) in _pending.All)
        {
            if (value is null)
            {
                batch.Delete(key);
            }
            else
            {
                batch.Put(key, value);
            }
        }
        Span<byte> position = stackalloc byte[sizeof(long)];
        BitConverter.TryWriteBytes(position, checkpoint);
        batch.Put(CheckpointKey, position, _meta);
        _db.Write(batch, ChangelogIsTheLog);
        batch.Clear();
        _pending.Clear();
    }

    /// <inheritdoc />
    public void Abort() => _pending.Clear();

    /// <inheritdoc />
    public void Dispose()
    {
        // Twice is harmless: a failed restore disposes the store it was rebuilding, which may be disposed already.
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _batch.Dispose();
        _db.Dispose();
    }

    /// <summary>Deletes a store's files (an unreadable store, or one ahead of its changelog).</summary>
    public static void Wipe(string directory)
    {
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }
}
