using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OmniStream.Cli.Tests;

public class TokenCommandTests
{
    [Test]
    public async Task A_token_is_signed_with_the_services_key_for_the_permissions_asked()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var (process, token) = await RunAsync(new Dictionary<string, string> { ["OMNISTREAM__AUTH__JWT__SIGNINGKEY"] = key },
            "token", "--subject", "crm-sync", "--permission", "customers:read", "--permission", "kpis:read");

        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "omnistream-dev",
            ValidAudience = "omnistream",
            IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(key)),
        });

        Assert.That(process.ExitCode, Is.Zero, await process.StandardError.ReadToEndAsync());
        Assert.That(validated.IsValid, Is.True, validated.Exception?.Message);
        Assert.That(validated.ClaimsIdentity.FindAll("permissions").Select(c => c.Value), Is.EquivalentTo(new[] { "customers:read", "kpis:read" }));
        Assert.That(validated.ClaimsIdentity.FindFirst("sub")?.Value, Is.EqualTo("crm-sync"));
    }

    [Test]
    public async Task A_token_is_signed_with_a_private_key_that_the_services_public_key_verifies()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var file = Path.Combine(Path.GetTempPath(), $"omnistream-token-{Guid.NewGuid():N}.key");
        await File.WriteAllTextAsync(file, ec.ExportECPrivateKeyPem());
        try
        {
            var (process, token) = await RunAsync(new Dictionary<string, string>(), "token", "--subject", "ops-bot", "--permission", "ops", "--private-key", file);

            using var verifier = ECDsa.Create();
            verifier.ImportFromPem(ec.ExportSubjectPublicKeyInfoPem());
            var validated = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
            {
                ValidIssuer = "omnistream-dev",
                ValidAudience = "omnistream",
                IssuerSigningKey = new ECDsaSecurityKey(verifier),
                ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            });

            Assert.That(process.ExitCode, Is.Zero, await process.StandardError.ReadToEndAsync());
            Assert.That(validated.IsValid, Is.True, validated.Exception?.Message);
            Assert.That(validated.ClaimsIdentity.FindFirst("sub")?.Value, Is.EqualTo("ops-bot"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(Process Process, string Output)> RunAsync(Dictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments.Prepend(Path.Combine(AppContext.BaseDirectory, "omnistream.dll")))
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        var output = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();
        return (process, output);
    }
}
