using OmniStream.Streaming.State;

namespace OmniStream.Streaming.TestDriver;

/// <summary>How a <see cref="StageTestDriver"/> runs its stages.</summary>
public sealed class StageTestDriverOptions
{
    /// <summary>The application id, which names the changelogs (<c>&lt;app&gt;-&lt;store&gt;-changelog</c>).</summary>
    public string ApplicationId { get; init; } = "test-app";

    /// <summary>Where records that fail are set aside, as the engine does.</summary>
    public string DeadLetterTopic { get; init; } = "omni.deadletter";

    /// <summary>Partitions of every topic (and so tasks of every stage), unless <see cref="TopicPartitions"/> says otherwise.</summary>
    public int Partitions { get; init; } = 1;

    /// <summary>Partitions of particular topics.</summary>
    public IReadOnlyDictionary<string, int> TopicPartitions { get; init; } = new Dictionary<string, int>();

    /// <summary>Retries of a failure the handler calls transient (the engine's default: 3).</summary>
    public int TransientRetries { get; init; } = 3;

    /// <summary>
    /// True (default): every committed record stays readable. False, for long runs such as the
    /// micro-benchmark: records every stage has read are dropped, and so are those of topics no stage
    /// reads, changelogs included (a crashed stage's stores then cannot be restored).
    /// </summary>
    public bool KeepRecords { get; init; } = true;

    /// <summary>Makes a task's shard of a store (name, partition); default: in memory.</summary>
    public Func<string, int, IStoreShard> Stores { get; init; } = (name, _) => new InMemoryStore(name);

    /// <summary>The partitions of <paramref name="topic"/>.</summary>
    public int PartitionsOf(string topic) => TopicPartitions.TryGetValue(topic, out var partitions) ? partitions : Partitions;
}
