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
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "omnistream.dll"), "token", "--subject", "crm-sync", "--permission", "customers:read", "--permission", "kpis:read" })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["OMNISTREAM__AUTH__JWT__SIGNINGKEY"] = key;
        using var process = Process.Start(start)!;
        var token = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();

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
}
