using OmniStream.Customers.Kpis;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>
/// Everything OmniStream holds about one customer (the 360° view), folded from their interactions
/// on every channel: the working state of the customers stage. It is read (or made) on a customer's
/// first record, changed in place by the fold, the segments and the decisions, encoded once per
/// commit (<see cref="CustomerStateCodec"/>), and kept decoded between commits. Every part is either
/// a set keyed by an id or "latest wins" by event time, so the state depends on which events were
/// folded, not on the order they came in. Not thread-safe: the task that owns the customer changes it.
/// </summary>
public sealed class CustomerState(string customerId)
{
    /// <summary>The customer (or, until identified, the anonymous or device id).</summary>
    public string CustomerId { get; } = customerId ?? throw new ArgumentNullException(nameof(customerId));

    /// <summary>Anonymous and device ids tied to the customer.</summary>
    public SortedStrings LinkedIds { get; } = [];

    /// <summary>Event time of the newest event folded; the state's clock.</summary>
    public DateTime LastEventAt { get; set; } = DateTime.MinValue;

    /// <summary>Profile attributes by name.</summary>
    public SortedList<string, ProfileValue> Profile { get; } = new(StringComparer.Ordinal);

    /// <summary>Consent by purpose and channel (key <c>PURPOSE/CHANNEL</c>).</summary>
    public SortedList<string, ConsentRecord> Consents { get; } = new(StringComparer.Ordinal);

    /// <summary>Activity on each channel.</summary>
    public ChannelActivities Channels { get; } = new();

    /// <summary>The cart as last updated (it may since have been ordered or emptied).</summary>
    public CartSnapshot? LatestCart { get; set; }

    /// <summary>Orders within the order window, by order id.</summary>
    public SortedList<string, OrderRecord> Orders { get; } = new(StringComparer.Ordinal);

    /// <summary>Count and value of the orders that left the window.</summary>
    public OrderTotals OlderOrders { get; set; } = OrderTotals.None;

    /// <summary>Support tickets by id.</summary>
    public SortedList<string, TicketRecord> Tickets { get; } = new(StringComparer.Ordinal);

    /// <summary>The latest product views, newest first.</summary>
    public List<ProductView> ProductViews { get; } = [];

    /// <summary>The latest NPS answer.</summary>
    public SurveyScore? LastNps { get; set; }

    /// <summary>The latest CES answer.</summary>
    public SurveyScore? LastCes { get; set; }

    /// <summary>The timeline: every line's time and event, newest first (the lines themselves are stored apart).</summary>
    public TimelineLines Timeline { get; } = new();

    /// <summary>The latest actions decided for the customer, newest first, with their outcomes.</summary>
    public ActionHistory Actions { get; } = new();

    /// <summary>Moments of the policies waiting for their time (or decided, within the lateness bound), by key (see <see cref="PendingDecision"/>).</summary>
    public SortedList<string, PendingDecision> Pending { get; } = new(StringComparer.Ordinal);

    /// <summary>Links to this customer that were refused because the id belonged to another.</summary>
    public List<RefusedLink> RefusedLinks { get; } = [];

    /// <summary>The segments the customer is in.</summary>
    public SortedStrings Segments { get; } = [];

    /// <summary>When the customer entered each of their segments (none for a segment entered before these times were kept).</summary>
    public SortedList<string, DateTime> SegmentsSince { get; } = new(StringComparer.Ordinal);

    /// <summary>No marketing action before this moment (e.g. after a poor NPS answer).</summary>
    public DateTime? MarketingPausedUntil { get; set; }

    /// <summary>The latest moments that sent nothing, newest first, with their reasons.</summary>
    public List<SilentDecision> Silent { get; } = [];

    /// <summary>
    /// The anonymous and device ids whose gathered state was merged into this customer (a subset of
    /// <see cref="LinkedIds"/>, which an <see cref="Identified"/> event fills before the state arrives),
    /// so that a hand-over delivered twice is merged once.
    /// </summary>
    public SortedStrings Absorbed { get; } = [];

    /// <summary>The customer's current journeys, by channel name (and <see cref="JourneyMarks.AllChannels"/>), for the KPIs.</summary>
    public SortedList<string, Journey> Journeys { get; } = new(StringComparer.Ordinal);

    /// <summary>The time the customer's timer was last stored for (its stored timer), if any.</summary>
    public DateTime? ArmedDue { get; set; }

    /// <summary>
    /// Events folded within the lateness bound whose timeline lines a state stored before lines kept
    /// that bound no longer has (id → event time): read from those states, pruned as the bound moves.
    /// </summary>
    public SortedList<Guid, DateTime> EarlierEventIds { get; } = [];

    /// <summary>
    /// A 64-bit hash of each section (<see cref="StateSections"/>) as the store holds it now, 0 where it
    /// holds none: a commit writes only the sections whose encoding changed.
    /// </summary>
    public ulong[] StoredSections { get; } = new ulong[StateSections.Count];

    /// <summary>The store's key of each section but the core, made once while the state is held in memory: a commit writes some at every event.</summary>
    public byte[]?[] SectionKeys { get; } = new byte[]?[StateSections.Count];

    private int _changedSections;

    // The estimated heap bytes of each section but the core, with the section's stored hash they were estimated at: estimated
    // again only once changed (CustomerFootprint).
    internal (ulong Hash, long Bytes)[] SectionFootprints { get; } = new (ulong, long)[StateSections.Count];

    /// <summary>Notes that <paramref name="section"/> changed since it was last written (see <see cref="StateSections.MarksChanges"/>).</summary>
    public void MarkChanged(int section) => _changedSections |= 1 << section;

    /// <summary>Notes that every section may have changed (a merge).</summary>
    public void MarkAllChanged() => _changedSections = (1 << StateSections.Count) - 1;

    /// <summary>True when <paramref name="section"/> was marked changed since it was last written.</summary>
    public bool IsMarkedChanged(int section) => (_changedSections & (1 << section)) != 0;

    /// <summary>Forgets the marks, once every section was written.</summary>
    public void ClearChangeMarks() => _changedSections = 0;

    /// <summary>True when something the published profile shows changed since the profile was last published.</summary>
    public bool ProfileChanged { get; set; }

    /// <summary>
    /// The open cart: the latest cart if it has lines and no order was placed since its last update
    /// (a cart updated after an order is a new cart, even under the same cart id).
    /// </summary>
    public CartSnapshot? Cart
    {
        get
        {
            if (LatestCart is not { Lines.Count: > 0 } cart || OlderOrders.LastPlacedAt >= cart.UpdatedAt)
            {
                return null;
            }
            var orders = Orders.Values;
            for (var i = 0; i < orders.Count; i++)
            {
                if (orders[i].PlacedAt >= cart.UpdatedAt)
                {
                    return null;
                }
            }
            return cart;
        }
    }

    /// <summary>The channel of the newest interaction; UNKNOWN before any.</summary>
    public Channel LastChannel => Channels.Last;

    /// <summary>The channel the customer uses most (most interactions, then most recent); UNKNOWN before any.</summary>
    public Channel PreferredChannel => Channels.Preferred;

    /// <summary>Support tickets not resolved yet.</summary>
    public IEnumerable<TicketRecord> OpenTickets => Tickets.Values.Where(t => t.IsOpen);

    /// <summary>The first support ticket (by id) not resolved yet; null when none is open.</summary>
    public TicketRecord? FirstOpenTicket
    {
        get
        {
            var tickets = Tickets.Values;
            for (var i = 0; i < tickets.Count; i++)
            {
                if (tickets[i].IsOpen)
                {
                    return tickets[i];
                }
            }
            return null;
        }
    }

    /// <summary>How many support tickets are not resolved yet.</summary>
    public int OpenTicketCount
    {
        get
        {
            var (open, tickets) = (0, Tickets.Values);
            for (var i = 0; i < tickets.Count; i++)
            {
                open += tickets[i].IsOpen ? 1 : 0;
            }
            return open;
        }
    }

    /// <summary>Whether the customer consented to <paramref name="purpose"/> on <paramref name="channel"/>; null when never asked.</summary>
    public bool? ConsentFor(Purpose purpose, Channel channel) =>
        Consents.TryGetValue(ConsentRecord.KeyOf(purpose, channel), out var consent) ? consent.Granted : null;

    /// <summary>The order summary (recency, frequency, monetary value) as of <paramref name="now"/>.</summary>
    public OrderSummary OrderSummaryAt(DateTime now, TimeSpan window) => OrderSummary.Of(this, now, window);

    /// <summary>When the earliest waiting moment is due; null when none waits.</summary>
    public DateTime? NextDue
    {
        get
        {
            DateTime? earliest = null;
            var waiting = Pending.Values;
            for (var i = 0; i < waiting.Count; i++)
            {
                var pending = waiting[i];
                if (pending.IsWaiting && !(earliest <= pending.DueAt))
                {
                    earliest = pending.DueAt;
                }
            }
            return earliest;
        }
    }
}
