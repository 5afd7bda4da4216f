using System.ComponentModel.DataAnnotations;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Gateway.Hosting;

/// <summary>The gateway: where it listens and where it pushes actions. Section <c>OmniStream:Gateway</c>.</summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OmniStream:Gateway";

    /// <summary>Where the gateway listens (default <c>http://127.0.0.1:8090</c>).</summary>
    [Required(ErrorMessage = "OmniStream:Gateway:Url is required (e.g. http://0.0.0.0:8090)")]
    [Url(ErrorMessage = "OmniStream:Gateway:Url must be an absolute http(s) URL")]
    public string Url { get; set; } = "http://127.0.0.1:8090";

    /// <summary>The prefix of the consumer groups webhook delivery shares across gateway instances, one per channel (each action is pushed by one instance).</summary>
    [Required(ErrorMessage = "OmniStream:Gateway:GroupId is required")]
    public string GroupId { get; set; } = "omnistream-gateway";

    /// <summary>This instance's name; its server-sent events read every partition under a group of its own.</summary>
    [Required(ErrorMessage = "OmniStream:Gateway:InstanceId is required")]
    public string InstanceId { get; set; } = Environment.MachineName;

    /// <summary>Where to push each channel's actions.</summary>
    public IList<WebhookTarget> Webhooks { get; } = [];

    /// <summary>How many times a webhook is tried before the action is dead-lettered (default 5).</summary>
    [Range(1, 20, ErrorMessage = "OmniStream:Gateway:DeliveryAttempts must be between 1 and 20")]
    public int DeliveryAttempts { get; set; } = 5;

    /// <summary>The wait before the first retry, doubled for each next one (default 200 ms).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00", ErrorMessage = "OmniStream:Gateway:RetryDelay must be between 1 ms and 5 minutes")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long one webhook call may take (default 10 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "OmniStream:Gateway:WebhookTimeout must be between 100 ms and 5 minutes")]
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a webhook's circuit stays open (default 30 s) once its calls have all failed five times in a row within the
    /// sampling window: meanwhile its channel's actions wait in their topic (none is set aside), then one call tries again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "OmniStream:Gateway:WebhookBreakDuration must be between 1 s and 10 minutes")]
    public TimeSpan WebhookBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest one action's delivery may take, every attempt timing out and every retry waited: it must stay
    /// below the consumer's <c>max.poll.interval.ms</c> (5 minutes by default), or the pusher would leave its group.
    /// </summary>
    public TimeSpan LongestDelivery => WebhookTimeout * DeliveryAttempts + RetryDelay * (Math.Pow(2, DeliveryAttempts - 1) - 1);

    /// <summary>The bound of <see cref="LongestDelivery"/>: a minute short of the consumer's default poll interval.</summary>
    public static readonly TimeSpan MaxDelivery = TimeSpan.FromMinutes(4);

    /// <summary>The most events one <c>POST /events</c> may carry (default 500); the body's size is bounded too (<c>OmniStream:Http:MaxBodyBytes</c>).</summary>
    [Range(1, 10_000, ErrorMessage = "OmniStream:Gateway:MaxEventsPerRequest must be between 1 and 10,000")]
    public int MaxEventsPerRequest { get; set; } = 500;

    /// <summary>
    /// How many events per second each client (API key or token subject) may post, on average
    /// (default 1,000); a client may burst to one second's worth. Past it, requests are answered 429
    /// with <c>Retry-After</c>.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "OmniStream:Gateway:EventsPerSecondPerClient must be between 1 and 1,000,000")]
    public int EventsPerSecondPerClient { get; set; } = 1_000;

    /// <summary>
    /// How many events per second each address (the caller's IP) may post through one source whose key is public by
    /// nature, a website's Segment write key (default 100): one visitor cannot spend the whole site's budget
    /// (<see cref="EventsPerSecondPerClient"/>, counted per source). Behind a proxy, list it in <see cref="TrustedProxies"/>.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "OmniStream:Gateway:EventsPerSecondPerAddress must be between 1 and 1,000,000")]
    public int EventsPerSecondPerAddress { get; set; } = 100;

    /// <summary>How many action streams (<c>GET /actions/{channel}/events</c>) one client (API key or token subject) may hold open at once (default 10).</summary>
    [Range(1, 100_000, ErrorMessage = "OmniStream:Gateway:MaxStreamsPerClient must be between 1 and 100,000")]
    public int MaxStreamsPerClient { get; set; } = 10;

    /// <summary>How many action streams the gateway holds open at once, all clients together (default 1,000).</summary>
    [Range(1, 1_000_000, ErrorMessage = "OmniStream:Gateway:MaxStreams must be between 1 and 1,000,000")]
    public int MaxStreams { get; set; } = 1_000;

    /// <summary>
    /// The proxies or load balancers (IP addresses) in front of the gateway, whose <c>X-Forwarded-For</c> says the caller's
    /// address; none by default (the header is then ignored: anyone could send it).
    /// </summary>
    public IList<string> TrustedProxies { get; } = [];

    /// <summary>The first problem with the webhooks and proxies, naming the setting; null when none.</summary>
    public string? Problem() =>
        Webhooks.Select((w, i) => (w, i)).FirstOrDefault(x => !Uri.TryCreate(x.w.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) is { w: not null } bad
            ? $"{Section}:Webhooks:{bad.i}:Url must be an absolute http(s) URL"
        : Webhooks.Select((w, i) => (w, i)).FirstOrDefault(x => x.w.Secret.Length < 16) is { w: not null } weak
            ? $"{Section}:Webhooks:{weak.i}:Secret must be at least 16 characters"
        : LongestDelivery > MaxDelivery
            ? $"{Section}:DeliveryAttempts ({DeliveryAttempts}) × {Section}:WebhookTimeout ({WebhookTimeout}) and the retry delays come to {LongestDelivery:g}: keep it under {MaxDelivery.TotalMinutes:0} minutes, within the consumer's poll interval"
        : TrustedProxies.Select((p, i) => (p, i)).FirstOrDefault(x => !System.Net.IPAddress.TryParse(x.p, out _)) is { p: not null } proxy
            ? $"{Section}:TrustedProxies:{proxy.i}: '{proxy.p}' is not an IP address"
        : null;
}

/// <summary>A channel backend's webhook.</summary>
public sealed class WebhookTarget
{
    /// <summary>The channel whose actions go there.</summary>
    public Channel Channel { get; set; } = Channel.UNKNOWN;

    /// <summary>The URL the actions are POSTed to.</summary>
    public string Url { get; set; } = "";

    /// <summary>The shared secret the body is signed with (HMAC-SHA256); at least 16 characters.</summary>
    public string Secret { get; set; } = "";
}
