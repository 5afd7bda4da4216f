using System.Diagnostics;
using OmniStream.Channels.Publishing;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Cli.Demo;

/// <summary>
/// Sends one customer's events on every channel the demo uses, the last one calling for an action
/// (a resolved ticket: an effort survey), and waits until a channel backend receives that action:
/// the first transactions, the clients' metadata and group joins, and the JIT are then behind, and
/// the latency the demo shows is the pipeline's, not its start-up's.
/// </summary>
internal sealed class PipelineWarmUp
{
    /// <summary>The customer of the warm-up events; the demo's monitor does not count their action.</summary>
    public const string CustomerId = "demo-warm-up";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly TaskCompletionSource _received = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Called with each action a backend receives; true when it was the warm-up's.</summary>
    public bool Take(NextBestAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (action.customerId != CustomerId)
        {
            return false;
        }
        _received.TrySetResult();
        return true;
    }

    /// <summary>Publishes the warm-up events and waits for their action; returns how long it took.</summary>
    /// <exception cref="TimeoutException">No action within a minute.</exception>
    public async Task<TimeSpan> RunAsync(ChannelPublisher publisher, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        var clock = Stopwatch.StartNew();
        (Channel Channel, object Payload)[] events =
        [
            (Channel.WEB, new PageViewed { location = "/" }),
            (Channel.MOBILE_APP, new AppOpened()),
            (Channel.EMAIL, new EmailOpened { campaignId = "warm-up", messageId = "warm-up" }),
            (Channel.STORE, new StoreVisited { storeId = "store-1" }),
            (Channel.CALL_CENTER, new SupportTicketOpened { ticketId = "warm-up-call", topic = "warm-up" }),
            (Channel.CHATBOT, new SupportTicketOpened { ticketId = "warm-up", topic = "warm-up" }),
            (Channel.CHATBOT, new SupportTicketResolved { ticketId = "warm-up" }),
        ];
        foreach (var (channel, payload) in events)
        {
            await publisher.PublishAsync(new InteractionEvent
            {
                occurredAt = DateTime.UtcNow,
                channel = channel,
                subject = new Subject { customerId = CustomerId },
                payload = payload,
            }, stop).ConfigureAwait(false);
        }
        await _received.Task.WaitAsync(Deadline, stop).ConfigureAwait(false);
        return clock.Elapsed;
    }
}
