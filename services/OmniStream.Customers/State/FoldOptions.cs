namespace OmniStream.Customers.State;

/// <summary>Bounds of a customer's state. Section <c>OmniStream:Customers</c>.</summary>
public sealed class FoldOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OmniStream:Customers";

    /// <summary>
    /// How late an event may arrive, behind the newest event of the same customer, and still be
    /// folded (default 7 days). Duplicates are recognised within this bound; an event later than
    /// that is refused (the worker dead-letters it, so it can be replayed by hand).
    /// </summary>
    public TimeSpan Lateness { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long interactions stay in the timeline (default 365 days); at least <see cref="Lateness"/>.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The window of the order summary's frequency and monetary value (default 90 days).</summary>
    public TimeSpan OrderWindow { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How many interactions the timeline keeps (default 50).</summary>
    public int TimelineLength { get; set; } = 50;

    /// <summary>How many product views the journey keeps (default 10).</summary>
    public int ProductViews { get; set; } = 10;

    /// <summary>How many actions are kept with their outcomes (default 50).</summary>
    public int Actions { get; set; } = 50;

    /// <summary>How long after a marketing action an order is attributed to it (default 7 days); the latest action before the order gets it.</summary>
    public TimeSpan AttributionWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How many bytes of the heap a worker instance gives to customers' working states kept between
    /// records (estimated as held: objects, collections, strings), shared out evenly among the customers
    /// partitions it owns now (default 64 MB; 0 keeps none). A customer read again is neither read from
    /// the store nor decoded; states read once (a scan of the population) do not push out those read often.
    /// </summary>
    public long StateCacheBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Checks the bounds; returns the first problem, naming the setting, or null.</summary>
    public string? Problem() =>
        Lateness <= TimeSpan.Zero ? $"{Section}:Lateness must be positive"
        : Retention < Lateness ? $"{Section}:Retention ({Retention}) must be at least {Section}:Lateness ({Lateness})"
        : OrderWindow < Lateness ? $"{Section}:OrderWindow ({OrderWindow}) must be at least {Section}:Lateness ({Lateness})"
        : AttributionWindow <= TimeSpan.Zero ? $"{Section}:AttributionWindow must be positive"
        : TimelineLength < 1 || ProductViews < 1 || Actions < 1 ? $"{Section}:TimelineLength, ProductViews and Actions must be at least 1"
        : StateCacheBytes < 0 ? $"{Section}:StateCacheBytes must be 0 or more"
        : null;
}
