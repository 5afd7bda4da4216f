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

    // Filled, encoded and let go per snapshot, on the thread that commits; with the cart record of the last snapshot that had
    // one (a snapshot without a cart lets go of it).
    [ThreadStatic]
    private static CustomerProfile? t_profile;

    [ThreadStatic]
    private static CartSnapshotRecord? t_cart;

    /// <summary>Sends the snapshot of <paramref name="state"/>.</summary>
    public void Send(IRecordSink sink, byte[] key, CustomerState state)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var profile = t_profile ??= new CustomerProfile();
        profile.cart ??= t_cart;
        ProfileProjection.Fill(profile, state, options);
        t_cart = profile.cart ?? t_cart;
        sink.Send(Topic, key, profiles.Serialize(profile, Topic));
    }

    /// <summary>Sends a tombstone: compaction then drops every snapshot of the key.</summary>
    public static void Remove(IRecordSink sink, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(sink);
        sink.Send(Topic, new Message<byte[], byte[]?> { Key = key, Value = null });
    }
}
