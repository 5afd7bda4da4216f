using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OmniStream.ServiceDefaults.Auth;

namespace OmniStream.ServiceDefaults.Http;

/// <summary>
/// One line per access to personal data (an export, an erasure): what, who asked, when, and the
/// answer, under the log category <c>OmniStream.Audit</c>. The customer appears only as a
/// pseudonym (the first 16 hex digits of the SHA-256 of their id), so the audit log holds no
/// personal data and outlives an erasure.
/// </summary>
public sealed partial class AuditLog(ILoggerFactory loggers, TimeProvider time)
{
    private readonly ILogger _logger = loggers.CreateLogger("OmniStream.Audit");

    /// <summary>Records that <paramref name="context"/>'s caller did <paramref name="action"/> on <paramref name="customerId"/>, answered <paramref name="status"/>.</summary>
    public void Record(HttpContext context, string action, string customerId, int status, string? requestId = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var subject = Pseudonym(customerId);
        var caller = PermissionClaims.NameOf(context.User);
        var at = time.GetUtcNow();
        LogAccess(action, subject, caller, at, status, requestId ?? "-");
    }

    /// <summary>The pseudonym of a customer id in the audit log.</summary>
    public static string Pseudonym(string customerId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(customerId ?? "")))[..16];

    [LoggerMessage(Level = LogLevel.Information, Message = "audit {Action} subject={Subject} by={Caller} at={At:O} status={Status} request={RequestId}")]
    private partial void LogAccess(string action, string subject, string caller, DateTimeOffset at, int status, string requestId);
}
