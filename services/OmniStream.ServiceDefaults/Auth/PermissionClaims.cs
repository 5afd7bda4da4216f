using System.Security.Claims;

namespace OmniStream.ServiceDefaults.Auth;

/// <summary>Reads a caller's permissions and name from its claims.</summary>
public static class PermissionClaims
{
    /// <summary>The claim of one permission (a JWT's <c>permissions</c> array gives one claim per entry).</summary>
    public const string Permissions = "permissions";

    /// <summary>The OAuth scope claim: space-separated permissions.</summary>
    public const string Scope = "scope";

    /// <summary>Whether <paramref name="user"/> holds <paramref name="permission"/>.</summary>
    public static bool Has(ClaimsPrincipal user, string permission) => All(user).Contains(permission, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="user"/> holds a permission that <paramref name="holds"/> accepts.</summary>
    public static bool HasAny(ClaimsPrincipal user, Func<string, bool> holds)
    {
        ArgumentNullException.ThrowIfNull(holds);
        return All(user).Any(holds);
    }

    /// <summary>Every permission <paramref name="user"/> holds, from its permission claims and its scopes.</summary>
    public static IEnumerable<string> All(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindAll(Permissions).Select(c => c.Value)
            .Concat(user.FindAll(Scope).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .Distinct(StringComparer.Ordinal);
    }

    /// <summary>Who the caller is, for logs: the API key's name, or the token's subject or client id.</summary>
    public static string NameOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated != true
            ? "anonymous"
            : user.FindFirst(ClaimTypes.Name)?.Value ?? user.FindFirst("sub")?.Value ?? user.FindFirst("client_id")?.Value ?? user.FindFirst("azp")?.Value ?? "unnamed";
    }
}
