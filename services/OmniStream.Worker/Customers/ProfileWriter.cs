using OmniStream.Channels.Topics;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Processing;
using Confluent.Kafka;

namespace OmniStream.Worker.Customers;

/// <summary>Keeps <c>omni.customer-profiles</c> in step with the customers store: a snapshot per change, a tombstone per removal.</summary>
public sealed class ProfileWriter(AvroSerde<CustomerProfile> profiles, FoldOptions options)
{
    private static readonly string Topic = TopicCatalog.CustomerProfiles.Name;

    /// <summary>The snapshot of <paramref name="state"/>, serialized for the profiles topic.</summary>
    public ValueTask<byte[]> SerializeAsync(CustomerState state, CancellationToken cancellationToken) =>
        profiles.SerializeAsync(ProfileProjection.Of(state, options), Topic, cancellationToken);

    /// <summary>Sends a serialized snapshot of <paramref name="key"/>'s profile.</summary>
    public static void Send(IRecordSink sink, byte[] key, byte[] profile)
    {
        ArgumentNullException.ThrowIfNull(sink);
        sink.Send(Topic, key, profile);
    }

    /// <summary>Sends a tombstone: compaction then drops every snapshot of the key.</summary>
    public static void Remove(IRecordSink sink, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(sink);
        sink.Send(Topic, new Message<byte[], byte[]?> { Key = key, Value = null });
    }
}
