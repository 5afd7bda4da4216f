using Confluent.Kafka;

namespace OmniStream.Streaming.Tasks;

/// <summary>
/// Confirms, before a commit sends its state changes, that a stage thread away from its group for a
/// while is still the group's member. A thread that stayed long out of its poll (a long restore, a
/// slow commit) can be dropped by the group meanwhile and not know it yet; its partitions may then
/// belong to another instance that restored their state. Apache Kafka refuses such a member's
/// transactional offsets and hides its transaction; brokers that do neither (the embedded cluster
/// checks no generation on transactional offsets and shows aborted records) would let its state
/// changes land after the new owner's restore, where a later restore reads them and the new owner
/// never does. The check is a plain offset commit of the positions already committed (nothing moves),
/// which a broker refuses from a dropped member. It runs only after the thread was away from its poll
/// for a third of the session: a commit to a group that is rebalancing makes the client give up its
/// partitions, a price paid only where the thread may have been dropped.
/// </summary>
internal sealed class GroupMembership(TimeSpan sessionTimeout, TimeProvider time)
{
    private readonly TimeSpan _awayLimit = sessionTimeout / 3;
    private long _pollStarted = time.GetTimestamp();

    /// <summary>The thread polls its consumer: the group's news (a rebalance, a lost assignment) reaches it from here on.</summary>
    public void Polling() => _pollStarted = time.GetTimestamp();

    /// <summary>
    /// When the thread has been away from its poll for a third of its session, commits <paramref name="committed"/>
    /// again; throws a (non-fatal) <see cref="KafkaException"/> when the group answers that this consumer is not its
    /// member (or not of its current generation), so that the transaction aborts before any state is sent. Any
    /// other answer (a coordinator moving) proves nothing lost, and the commit goes on.
    /// </summary>
    public void ConfirmIfAway(IConsumer<byte[], byte[]> consumer, Func<List<TopicPartitionOffset>> committed)
    {
        if (time.GetElapsedTime(_pollStarted) < _awayLimit || committed() is not { Count: > 0 } offsets)
        {
            return;
        }
        try
        {
            consumer.Commit(offsets);
        }
        catch (TopicPartitionOffsetException e) when (e.Results.Find(r => IsDropped(r.Error.Code)) is { } refused)
        {
            throw Dropped(refused.Error);
        }
        catch (KafkaException e) when (IsDropped(e.Error.Code))
        {
            throw Dropped(e.Error);
        }
        catch (KafkaException)
        {
            // Not a word on membership: the commit goes on.
        }
    }

    private static bool IsDropped(ErrorCode code) => code is ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId or ErrorCode.FencedInstanceId;

    private static KafkaException Dropped(Error error) =>
        new(new Error(error.Code, $"the group may no longer count this consumer as a member ({error.Reason}); its partitions may have moved"));
}
