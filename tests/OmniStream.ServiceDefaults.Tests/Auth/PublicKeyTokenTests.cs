using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.ServiceDefaults.Http;

namespace OmniStream.ServiceDefaults.Tests.Auth;

/// <summary>
/// Over real HTTP, a service that holds only a public key (<c>OmniStream:Auth:Jwt:PublicKey</c>) accepts the tokens its
/// private key signs and no other: not one HMAC-signed with the public key's own bytes (algorithm confusion), not one
/// signed by another key. It holds nothing that could make a token.
/// </summary>
public class PublicKeyTokenTests
{
    [Test]
    public async Task A_service_holding_only_a_public_key_accepts_its_private_keys_tokens_and_no_other()
    {
        using var issuer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = issuer.ExportSubjectPublicKeyInfoPem();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OmniStream:Auth:Jwt:PublicKey"] = publicKey });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddOmniStreamHttp();
        await using var app = builder.Build();
        app.UseOmniStreamHttp();
        app.MapGet("/customers", () => "ok").RequirePermission(Permissions.CustomersRead, app.Services.GetRequiredService<AuthOptions>());
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        string Token(SigningCredentials credentials) =>
            DevelopmentCredentials.Sign(credentials, "agent", [Permissions.CustomersRead], "omnistream", TimeSpan.FromMinutes(5));
        var signed = Token(new SigningCredentials(new ECDsaSecurityKey(issuer), SecurityAlgorithms.EcdsaSha256));
        var confused = Token(new SigningCredentials(new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(publicKey)), SecurityAlgorithms.HmacSha256));
        var foreign = Token(new SigningCredentials(new ECDsaSecurityKey(stranger), SecurityAlgorithms.EcdsaSha256));

        Assert.That(await StatusAsync(address, signed), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await StatusAsync(address, confused), Is.EqualTo(HttpStatusCode.Unauthorized), "HS256 keyed by the public key");
        Assert.That(await StatusAsync(address, foreign), Is.EqualTo(HttpStatusCode.Unauthorized), "another key's signature");
    }

    [Test]
    public void A_public_key_beside_a_signing_key_or_one_that_is_no_key_is_a_configuration_error()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var both = new JwtSettings { PublicKey = ec.ExportSubjectPublicKeyInfoPem(), SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        var bad = new JwtSettings { PublicKey = "not a key" };

        Assert.That(both.Problem("OmniStream:Auth:Jwt"), Does.Contain("set one of Authority").And.Contain("PublicKey").And.Contain("SigningKey"));
        Assert.That(bad.Problem("OmniStream:Auth:Jwt"), Does.StartWith("OmniStream:Auth:Jwt:PublicKey must be an EC or RSA public key"));
        Assert.That(new JwtSettings { PublicKey = Convert.ToBase64String(ec.ExportSubjectPublicKeyInfo()) }.Problem("OmniStream:Auth:Jwt"), Is.Null, "base64 DER on one line");
    }

    private static async Task<HttpStatusCode> StatusAsync(Uri address, string token)
    {
        using var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var response = await http.GetAsync("/customers");
        return response.StatusCode;
    }
}
