using Microsoft.IdentityModel.Tokens;

namespace OmniStream.ServiceDefaults.Auth;

/// <summary>Why credentials were refused, in words a caller can act on (the identity library's messages span lines and codes).</summary>
public static class AuthenticationFailure
{
    /// <summary>A short reason for <paramref name="failure"/>.</summary>
    public static string Describe(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure switch
        {
            SecurityTokenExpiredException expired => $"the bearer token expired at {expired.Expires:O}",
            SecurityTokenNotYetValidException => "the bearer token is not valid yet",
            SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the bearer token's signature does not verify with this service's keys",
            SecurityTokenInvalidIssuerException => "the bearer token's issuer is not the one this service accepts",
            SecurityTokenInvalidAudienceException => "the bearer token's audience is not this service",
            SecurityTokenMalformedException or ArgumentException => "the bearer token is not a well-formed JWT",
            SecurityTokenException => "the bearer token was refused",
            _ => failure.Message.Split('\n', 2)[0].Trim(),
        };
    }
}
