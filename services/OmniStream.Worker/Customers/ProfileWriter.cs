using OmniStream.Channels.Topics;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Processing;
using Confluent.Kafka;

namespace OmniStream.Worker.Customers;

/// <summary>
/// Keeps <c>omni.customer-profiles</c> in step with the customers store: a snapshot whenever what the
/// profile shows changed (sent at the commit of the change; <c>updatedAt</c> is the newest event as of
/// then), a tombstone per removal.
/// </summary>
public sealed class ProfileWriter(AvroSerde<CustomerProfile> profiles, FoldOptions options)
{
    private static readonly string Topic = TopicCatalog.CustomerProfiles.Name;

    /// <summary>Sends the snapshot of <paramref name="state"/>.</summary>
    public void Send(IRecordSink sink, byte[] key, CustomerState state)
    {
        ArgumentNullException.ThrowIfNull(sink);
        // Called at commit, which cannot wait: with a Schema Registry only the first snapshot asks it (the schema's id is kept).
        var profile = profiles.SerializeAsync(ProfileProjection.Of(state, options), Topic);
        sink.Send(Topic, key, profile.IsCompletedSuccessfully ? profile.Result : profile.AsTask().GetAwaiter().GetResult());
    }

    /// <summary>Sends a tombstone: compaction then drops every snapshot of the key.</summary>
    public static void Remove(IRecordSink sink, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(sink);
        sink.Send(Topic, new Message<byte[], byte[]?> { Key = key, Value = null });
    }
}
