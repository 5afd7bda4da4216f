using Microsoft.IdentityModel.Tokens;
using OmniStream.ServiceDefaults.Auth;

namespace OmniStream.ServiceDefaults.Tests.Auth;

public class AuthenticationFailureTests
{
    [Test]
    public void A_refused_token_is_told_in_one_short_line()
    {
        var expired = new SecurityTokenExpiredException("IDX10223: Lifetime validation failed.\nThe token is expired.") { Expires = new DateTime(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc) };

        Assert.That(AuthenticationFailure.Describe(expired), Is.EqualTo("the bearer token expired at 2026-11-30T10:00:00.0000000Z"));
        Assert.That(AuthenticationFailure.Describe(new SecurityTokenInvalidAudienceException("IDX10214")), Is.EqualTo("the bearer token's audience is not this service"));
        Assert.That(AuthenticationFailure.Describe(new InvalidOperationException("first line\nsecond line")), Is.EqualTo("first line"));
    }
}
