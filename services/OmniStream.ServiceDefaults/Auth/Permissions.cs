namespace OmniStream.ServiceDefaults.Auth;

/// <summary>
/// What a caller may do, one name per kind of request. A JWT carries them in its <c>permissions</c>
/// claim (an array) or its <c>scope</c> claim (space-separated); an API key is configured with them.
/// </summary>
public static class Permissions
{
    /// <summary>Read a customer's 360° view and actions (<c>GET /customers/{id}</c>).</summary>
    public const string CustomersRead = "customers:read";

    /// <summary>Read the KPIs (<c>GET /kpis</c>).</summary>
    public const string KpisRead = "kpis:read";

    /// <summary>Export everything held about a customer (<c>GET /privacy/export/{id}</c>).</summary>
    public const string PrivacyExport = "privacy:export";

    /// <summary>Erase a customer (<c>POST /privacy/erasure/{id}</c>).</summary>
    public const string PrivacyErase = "privacy:erase";

    /// <summary>Report what became of an action (gateway <c>POST /outcomes</c>).</summary>
    public const string OutcomesWrite = "outcomes:write";

    /// <summary>Publish interaction events over HTTP (gateway <c>POST /events</c>).</summary>
    public const string EventsWrite = "events:write";

    /// <summary>Receive every channel's actions (gateway <c>GET /actions/{channel}/events</c>); <see cref="ActionsReadOf"/> gives one channel's.</summary>
    public const string ActionsRead = "actions:read";

    /// <summary>Receive the actions of one channel alone, by its name in topic names (<c>actions:read:web</c>, <c>actions:read:mobile-app</c>).</summary>
    public static string ActionsReadOf(string channelSlug) => $"{ActionsRead}:{channelSlug}";

    /// <summary>True for a permission of <see cref="All"/>, or one channel's <see cref="ActionsReadOf"/>.</summary>
    public static bool IsKnown(string permission) =>
        All.Contains(permission)
        || permission.StartsWith(ActionsRead + ":", StringComparison.Ordinal) && permission.Length > ActionsRead.Length + 1
            && permission[(ActionsRead.Length + 1)..].All(c => c is (>= 'a' and <= 'z') or '-');

    /// <summary>Operations: <c>GET /metrics</c> and the ops pages.</summary>
    public const string Operations = "ops";

    /// <summary>Liveness and readiness: <c>GET /health</c>.</summary>
    public const string Health = "health";

    /// <summary>The API description: <c>GET /openapi/v1.json</c>.</summary>
    public const string OpenApi = "openapi";

    /// <summary>Every permission.</summary>
    public static IReadOnlyList<string> All { get; } =
        [CustomersRead, KpisRead, PrivacyExport, PrivacyErase, OutcomesWrite, EventsWrite, ActionsRead, Operations, Health, OpenApi];

    /// <summary>The permissions granted without credentials unless configured otherwise: health checks, metric scrapes, the API description.</summary>
    public static IReadOnlyList<string> AnonymousByDefault { get; } = [Health, Operations, OpenApi];
}
