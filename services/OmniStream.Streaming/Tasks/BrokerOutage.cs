using Confluent.Kafka;
using OmniStream.Kafka.Operations.Topics;

namespace OmniStream.Streaming.Tasks;

/// <summary>
/// Whether a stage's clients reach a broker. librdkafka reports "all brokers down" through the
/// consumer's error handler; from then on, once a second, a cheap request to the brokers tells
/// whether they answer again. Brokers away for longer than <paramref name="allowed"/> fail the stage.
/// </summary>
internal sealed class BrokerOutage(TimeSpan allowed, TimeProvider time)
{
    private long _downSinceTicks;

    /// <summary>From librdkafka's thread: notes the start of an outage.</summary>
    public void Reported(Error error)
    {
        if (error.Code == ErrorCode.Local_AllBrokersDown)
        {
            Interlocked.CompareExchange(ref _downSinceTicks, time.GetUtcNow().UtcTicks, 0);
        }
    }

    /// <summary>From the stage's loop: ends the outage when <paramref name="brokersAnswer"/>, else fails the stage once it lasted too long.</summary>
    /// <exception cref="KafkaUnreachableException">No broker answered for longer than allowed.</exception>
    public void Check(string stage, Func<bool> brokersAnswer)
    {
        var since = Interlocked.Read(ref _downSinceTicks);
        if (since == 0)
        {
            return;
        }
        if (brokersAnswer())
        {
            Interlocked.Exchange(ref _downSinceTicks, 0);
            return;
        }
        var down = TimeSpan.FromTicks(time.GetUtcNow().UtcTicks - since);
        if (down > allowed)
        {
            throw new KafkaUnreachableException(
                $"stage {stage} has reached no Kafka broker for {down.TotalSeconds:0} s (OmniStream:Stream:MaxBrokerOutage is {allowed.TotalSeconds:0} s)");
        }
    }
}
