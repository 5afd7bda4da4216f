namespace OmniStream.Adapters.Segment;

/// <summary>
/// How Segment tracking calls become interaction events: which <c>track</c> event names become which
/// payload, what to do with the others, and the currency of amounts that name none.
/// </summary>
public sealed class SegmentMapping
{
    /// <summary>The configuration section (the gateway's sources are configured there too).</summary>
    public const string Section = "OmniStream:Segment";

    /// <summary>What becomes of a <c>track</c> event whose name has no mapping: its payload is not guessed.</summary>
    public enum UnmappedTracks
    {
        /// <summary>A generic <see cref="Schemas.Contracts.Tracked"/> interaction (its name and properties): on the customer's timeline.</summary>
        Generic,

        /// <summary>Kept, untouched, on <c>omni.bad-rows</c> with the reason, to replay once a mapping is added.</summary>
        SetAside,

        /// <summary>Acknowledged and counted, not kept.</summary>
        Drop,
    }

    /// <summary>
    /// <c>track</c> event names (case-insensitive) to the payload record each becomes (its schema
    /// name, e.g. <c>CartUpdated</c>); an empty value removes a default. By default Segment's
    /// e-commerce names: <c>Product Viewed</c> → ProductViewed, <c>Product Added</c> and <c>Cart
    /// Viewed</c> → CartUpdated, <c>Checkout Started</c> → CheckoutStarted,
    /// <c>Order Completed</c> → OrderPlaced; and <c>Email Opened</c>, <c>Email Link Clicked</c>,
    /// <c>Survey Answered</c>, <c>Support Ticket Opened</c>.
    /// </summary>
    public Dictionary<string, string> Track { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Product Viewed"] = "ProductViewed",
        ["Product Added"] = "CartUpdated",
        ["Cart Viewed"] = "CartUpdated",
        ["Checkout Started"] = "CheckoutStarted",
        ["Order Completed"] = "OrderPlaced",
        ["Email Opened"] = "EmailOpened",
        ["Email Link Clicked"] = "EmailClicked",
        ["Survey Answered"] = "SurveyAnswered",
        ["Support Ticket Opened"] = "SupportTicketOpened",
    };

    /// <summary>What becomes of a <c>track</c> event without a mapping (default <see cref="UnmappedTracks.Generic"/>).</summary>
    public UnmappedTracks Unmapped { get; set; } = UnmappedTracks.Generic;

    /// <summary>The currency of carts and orders whose <c>currency</c> property is missing (ISO 4217; default EUR).</summary>
    public string DefaultCurrency { get; set; } = "EUR";

    /// <summary>The payloads a tracking source may send: every payload of the contract but an erasure request, which comes through the privacy API alone.</summary>
    public static IReadOnlyList<string> Payloads { get; } = [.. SegmentTrackPayloads.Names.Where(name => name != nameof(Schemas.Contracts.ErasureRequested))];

    /// <summary>
    /// What a source may send unless its settings say otherwise: every payload but a consent change. A browser's write key
    /// is public, and a consent change names the customer it is for: any visitor could grant or withdraw anyone's consent.
    /// </summary>
    public static IReadOnlyList<string> DefaultSourcePayloads { get; } = [.. Payloads.Where(name => name != nameof(Schemas.Contracts.ConsentChanged))];

    /// <summary>The first mapping to a payload a source may not send, naming the setting under <paramref name="section"/>; null when none.</summary>
    public string? Problem(string section) =>
        Track.FirstOrDefault(m => !string.IsNullOrWhiteSpace(m.Value) && !Payloads.Contains(m.Value)) is { Key: not null } wrong
            ? $"{section}:Track:{wrong.Key} maps to '{wrong.Value}', which is not a payload a source may send (one of {string.Join(", ", Payloads)})"
            : null;

    /// <summary>The payload record <paramref name="eventName"/> maps to; null when it has none.</summary>
    public string? PayloadOf(string eventName) => Track.TryGetValue(eventName, out var payload) && !string.IsNullOrWhiteSpace(payload) ? payload : null;
}
