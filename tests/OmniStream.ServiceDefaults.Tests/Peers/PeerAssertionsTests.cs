using System.Security.Claims;
using System.Security.Cryptography;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.ServiceDefaults.Peers;

namespace OmniStream.ServiceDefaults.Tests.Peers;

public class PeerAssertionsTests
{
    private static readonly PeerKey Key = new(RandomNumberGenerator.GetBytes(32));
    private static readonly ClaimsPrincipal Caller = new(new ClaimsIdentity(
        [new Claim("sub", "agent-7"), new Claim(PermissionClaims.Permissions, Permissions.CustomersRead), new Claim(PermissionClaims.Scope, "kpis:read ops:read")], "Bearer"));

    [Test]
    public async Task An_assertion_names_the_caller_its_permissions_and_the_instance_that_asked()
    {
        var token = new PeerAssertions(Key, "app", "worker-1").Mint(Caller, "worker-2");

        var (caller, refusal) = await new PeerAssertions(Key, "app", "worker-2").ValidateAsync(token, PeerAssertionHandler.SchemeName);

        Assert.That(refusal, Is.Null);
        var principal = new ClaimsPrincipal(caller!);
        Assert.That(PermissionClaims.NameOf(principal), Is.EqualTo("agent-7"));
        Assert.That(PermissionClaims.All(principal), Is.EquivalentTo(new[] { Permissions.CustomersRead, "kpis:read", "ops:read" }));
        Assert.That(principal.FindFirst(PeerAssertions.ViaClaim)?.Value, Is.EqualTo("worker-1"));
        Assert.That(PeerAssertionHandler.IsFromPeer(principal), Is.True);
    }

    [Test]
    public async Task An_assertion_made_for_another_instance_or_application_is_refused()
    {
        var token = new PeerAssertions(Key, "app", "worker-1").Mint(Caller, "worker-2");

        var (_, otherInstance) = await new PeerAssertions(Key, "app", "worker-3").ValidateAsync(token, PeerAssertionHandler.SchemeName);
        var (_, otherApplication) = await new PeerAssertions(Key, "other-app", "worker-2").ValidateAsync(token, PeerAssertionHandler.SchemeName);

        Assert.That(otherInstance, Does.Contain("not valid here").And.Contain("Audience"));
        Assert.That(otherApplication, Does.Contain("not valid here").And.Contain("Issuer"));
    }

    [Test]
    public async Task An_assertion_signed_without_the_peer_key_or_with_the_bearer_token_key_is_refused()
    {
        var token = new PeerAssertions(new PeerKey(RandomNumberGenerator.GetBytes(32)), "app", "worker-1").Mint(Caller, "worker-2");
        var bearer = DevelopmentCredentials.Create("worker-2");

        var (_, otherKey) = await new PeerAssertions(Key, "app", "worker-2").ValidateAsync(token, PeerAssertionHandler.SchemeName);
        var (_, userToken) = await new PeerAssertions(Key, "app", "worker-2").ValidateAsync(bearer.Token, PeerAssertionHandler.SchemeName);

        Assert.That(otherKey, Does.Contain("not valid here").And.Contain("Signature"));
        Assert.That(userToken, Does.Contain("not valid here"));
    }
}
