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

    /// <summary>Sends the snapshot of <paramref name="state"/>.</summary>
    public async ValueTask WriteAsync(IRecordSink sink, byte[] key, CustomerState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        sink.Send(Topic, key, await profiles.SerializeAsync(ProfileProjection.Of(state, options), Topic, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Sends a tombstone: compaction then drops every snapshot of the key.</summary>
    public static void Remove(IRecordSink sink, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(sink);
        sink.Send(Topic, new Message<byte[], byte[]?> { Key = key, Value = null });
    }
}
