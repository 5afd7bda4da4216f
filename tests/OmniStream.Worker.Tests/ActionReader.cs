using System.Text;
using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Kafka;

namespace OmniStream.Worker.Tests;

/// <summary>Every actions topic of the test cluster, read for one customer's actions at a time.</summary>
internal sealed class ActionReader : IDisposable
{
    // Generous: on a loaded 2-core machine the embedded brokers' one thread serves every fetch, and a CI run
    // once saw this reader take over 30 s to read 101 of the 189 actions its topics held.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly TopicReader _reader = new(KafkaFixture.Cluster.BootstrapServers, TopicCatalog.AllActions.Select(t => t.Name));

    /// <summary>The first <paramref name="count"/> actions (or more) for <paramref name="customerId"/>, once read.</summary>
    public async Task<List<NextBestAction>> WhenAsync(string customerId, int count) =>
        [.. (await WithTopicsWhenAsync(customerId, count)).Select(a => a.Action)];

    /// <summary>The actions for <paramref name="customerId"/> with their topics, once at least <paramref name="count"/> are read.</summary>
    public async Task<List<(NextBestAction Action, string Topic)>> WithTopicsWhenAsync(string customerId, int count)
    {
        await _reader.ReadUntilAsync(r => r.Count(record => IsFor(record, customerId)) >= count, Deadline, $"{count} action(s) for {customerId}");
        return await DecodeAsync(customerId);
    }

    /// <summary>The actions for <paramref name="customerId"/> read so far.</summary>
    public async Task<List<NextBestAction>> SeenForAsync(string customerId) => [.. (await DecodeAsync(customerId)).Select(a => a.Action)];

    public void Dispose() => _reader.Dispose();

    private async Task<List<(NextBestAction Action, string Topic)>> DecodeAsync(string customerId)
    {
        var actions = new List<(NextBestAction Action, string Topic)>();
        foreach (var record in _reader.Records.Where(r => IsFor(r, customerId)).ToList())
        {
            actions.Add((await WorkerHarness.Actions.DeserializeAsync(record.Message.Value), record.Topic));
        }
        return actions;
    }

    private static bool IsFor(ConsumeResult<byte[], byte[]> record, string customerId) => Encoding.UTF8.GetString(record.Message.Key) == customerId;
}
