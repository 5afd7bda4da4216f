namespace OmniStream.Adapters.Email;

/// <summary>
/// Where SendGrid's events say whose email it was and of which campaign: the custom arguments the
/// email backend sets on each message it sends (SendGrid repeats them on every event of the message).
/// Section <c>OmniStream:Email:SendGrid</c>.
/// </summary>
public sealed class SendGridMapping
{
    /// <summary>The configuration section (the gateway's verification key is configured there too).</summary>
    public const string Section = "OmniStream:Email:SendGrid";

    /// <summary>The custom argument holding the customer id (default <c>customer_id</c>); an event without it is set aside.</summary>
    public string CustomerIdArg { get; set; } = "customer_id";

    /// <summary>The custom argument holding the campaign (default <c>campaign_id</c>); without it, the message's first category, else empty.</summary>
    public string CampaignIdArg { get; set; } = "campaign_id";
}
