using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.ServiceDefaults.Peers;
using OmniStream.ServiceDefaults.Privacy;

namespace OmniStream.ServiceDefaults.Http;

/// <summary>
/// One line per access to personal data (a view, an export, an erasure) and per browser session opened: what, who asked, when, and the
/// answer, under the log category <c>OmniStream.Audit</c>. The customer appears only as a keyed
/// pseudonym (<see cref="Pseudonyms"/>), so the audit log holds no personal data and outlives an
/// erasure.
/// </summary>
public sealed partial class AuditLog
{
    private readonly ILogger _logger;
    private readonly Pseudonyms _pseudonyms;
    private readonly TimeProvider _time;

    /// <summary>An audit log writing through <paramref name="loggers"/>, the customer named by <paramref name="pseudonyms"/>.</summary>
    public AuditLog(ILoggerFactory loggers, Pseudonyms pseudonyms, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _logger = loggers.CreateLogger("OmniStream.Audit");
        _pseudonyms = pseudonyms ?? throw new ArgumentNullException(nameof(pseudonyms));
        _time = time;
        if (!pseudonyms.IsConfigured)
        {
            LogUnkeyed(Pseudonyms.KeySetting);
        }
    }

    /// <summary>
    /// Records that <paramref name="context"/>'s caller did <paramref name="action"/> on <paramref name="customerId"/>, answered
    /// <paramref name="status"/>; with the instance that asked on the caller's behalf, if one did, and the instance the request
    /// went <paramref name="to"/>, if it was passed on.
    /// </summary>
    public void Record(HttpContext context, string action, string customerId, int status, string? requestId = null, string? to = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var subject = _pseudonyms.Of(customerId);
        var caller = PermissionClaims.NameOf(context.User);
        var via = context.User.FindFirst(PeerAssertions.ViaClaim)?.Value ?? "-";
        var at = _time.GetUtcNow();
        LogAccess(action, subject, caller, via, to ?? "-", at, status, requestId ?? "-");
    }

    /// <summary>Records that <paramref name="user"/> opened a browser session lasting until <paramref name="until"/>.</summary>
    public void RecordSignIn(System.Security.Claims.ClaimsPrincipal user, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(user);
        var caller = PermissionClaims.NameOf(user);
        var at = _time.GetUtcNow();
        LogSignIn(caller, at, until);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "audit session.open by={Caller} at={At:O} until={Until:O}")]
    private partial void LogSignIn(string caller, DateTimeOffset at, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Setting} is not set: audit pseudonyms use a key made for this process and will not match across restarts or instances")]
    private partial void LogUnkeyed(string setting);

    [LoggerMessage(Level = LogLevel.Information, Message = "audit {Action} subject={Subject} by={Caller} via={Via} to={To} at={At:O} status={Status} request={RequestId}")]
    private partial void LogAccess(string action, string subject, string caller, string via, string to, DateTimeOffset at, int status, string requestId);
}
