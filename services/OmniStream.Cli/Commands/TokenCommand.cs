using System.CommandLine;
using Microsoft.IdentityModel.Tokens;
using OmniStream.ServiceDefaults.Auth;

namespace OmniStream.Cli.Commands;

/// <summary>
/// <c>omnistream token</c>: signs a bearer token for the worker's and the gateway's APIs, for
/// deployments without an identity provider: with a private key whose public key the services hold
/// (<c>--private-key</c>; <c>OmniStream:Auth:Jwt:PublicKey</c>), or with the shared key they validate
/// (<c>OMNISTREAM__AUTH__JWT__SIGNINGKEY</c>). Prints the token alone, for scripts.
/// </summary>
internal static class TokenCommand
{
    private const string KeyVariable = "OMNISTREAM__AUTH__JWT__SIGNINGKEY";

    public static Command Create()
    {
        var subject = new Option<string>("--subject") { Description = "Who the token is for (shown in the audit log)", DefaultValueFactory = _ => Environment.UserName };
        var permissions = new Option<string[]>("--permission")
        {
            Description = $"A permission (repeatable; default: all): {string.Join(", ", Permissions.All)}",
            DefaultValueFactory = _ => [.. Permissions.All],
        };
        var lifetime = new Option<TimeSpan>("--lifetime") { Description = "How long the token is valid (e.g. 1h, 7d)", DefaultValueFactory = _ => TimeSpan.FromHours(1), CustomParser = DurationParser.Parse };
        var issuer = new Option<string>("--issuer") { Description = "The issuer the services expect (OmniStream:Auth:Jwt:Issuer)", DefaultValueFactory = _ => DevelopmentCredentials.Issuer };
        var privateKey = new Option<FileInfo?>("--private-key") { Description = "A PEM file of the EC or RSA private key whose public key the services hold (OmniStream:Auth:Jwt:PublicKey)" };
        var audience = new Option<string>("--audience") { Description = "The audience the services expect (OmniStream:Auth:Jwt:Audience)", DefaultValueFactory = _ => new JwtSettings().Audience };
        permissions.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string[]>()?.FirstOrDefault(p => !Permissions.All.Contains(p)) is { } unknown)
            {
                r.AddError($"--permission: unknown permission '{unknown}' (known: {string.Join(", ", Permissions.All)})");
            }
        });
        var command = new Command("token", $"Sign a bearer token with --private-key, or with the shared key in ${KeyVariable} (as the services validate it)") { subject, permissions, lifetime, issuer, audience, privateKey };
        command.SetAction(parse =>
        {
            if (parse.GetValue(privateKey) is { } file)
            {
                return SignWithPrivateKey(file, parse.GetValue(subject)!, parse.GetValue(permissions)!, parse.GetValue(audience)!, parse.GetValue(lifetime), parse.GetValue(issuer)!);
            }
            var settings = new JwtSettings { SigningKey = Environment.GetEnvironmentVariable(KeyVariable) };
            var problem = settings.IsConfigured ? settings.Problem(KeyVariable) : $"set {KeyVariable} to the services' signing key";
            if (problem is not null)
            {
                Console.Error.WriteLine($"token: {problem}");
                return 2;
            }
            Console.WriteLine(DevelopmentCredentials.Sign(settings.SigningKey!, parse.GetValue(subject)!, parse.GetValue(permissions)!,
                parse.GetValue(audience)!, parse.GetValue(lifetime), parse.GetValue(issuer)!));
            return 0;
        });
        return command;
    }

    private static int SignWithPrivateKey(FileInfo file, string subject, string[] permissions, string audience, TimeSpan lifetime, string issuer)
    {
        try
        {
            var (key, algorithm) = TokenKeys.ReadPrivate(File.ReadAllText(file.FullName));
            Console.WriteLine(DevelopmentCredentials.Sign(new SigningCredentials(key, algorithm), subject, permissions, audience, lifetime, issuer));
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            Console.Error.WriteLine($"token: --private-key {file.FullName}: {e.Message}");
            return 2;
        }
    }
}
