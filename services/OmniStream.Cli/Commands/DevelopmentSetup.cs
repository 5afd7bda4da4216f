using OmniStream.ServiceDefaults.Auth;

namespace OmniStream.Cli.Commands;

/// <summary>
/// What a worker and a gateway need to run beside a dev cluster: its brokers and a signing key
/// for bearer tokens, as environment variables, and a token with every permission for the person
/// at the keyboard.
/// </summary>
internal sealed class DevelopmentSetup(string bootstrapServers, DevelopmentCredentials credentials)
{
    /// <summary>The environment of the worker and the gateway.</summary>
    public IReadOnlyList<(string Name, string Value)> Environment { get; } =
    [
        ("OMNISTREAM__KAFKA__BOOTSTRAPSERVERS", bootstrapServers),
        ("OMNISTREAM__AUTH__JWT__SIGNINGKEY", credentials.SigningKey),
        // Every instance names a customer by the same pseudonym in its logs.
        ("OMNISTREAM__AUDIT__PSEUDONYMKEY", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))),
        // The workers sign their announcements and the requests they pass on with it: without one, each trusts no other.
        ("OMNISTREAM__PEERS__KEY", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))),
        // The embedded brokers wait for a member's session to time out when a group rebalances
        // (45 s by default): with a second worker, its partitions would wait that long.
        ("OMNISTREAM__KAFKA__CONSUMER__session.timeout.ms", "6000"),
    ];

    /// <summary>A bearer token with every permission, valid for a day.</summary>
    public string Token => credentials.Token;

    /// <summary>Writes the environment to <paramref name="path"/> (<c>NAME=value</c> lines), readable by its owner only: it holds the signing key.</summary>
    public void WriteEnvFile(string path)
    {
        // Made anew, readable by its owner from its first byte: restricting it once written would leave it open meanwhile.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var file = new StreamWriter(path, System.Text.Encoding.UTF8, options);
        foreach (var (name, value) in Environment)
        {
            file.WriteLine($"{name}={value}");
        }
    }

    /// <summary>The lines that tell the user how to start the worker and the gateway (<c>env</c> takes the settings' dotted names, which a shell's export does not) and call them.</summary>
    public IEnumerable<string> Instructions(string? envFile)
    {
        var prefix = envFile is null ? "env " + string.Join(' ', Environment.Select(v => $"{v.Name}={v.Value}")) : $"env $(cat {envFile})";
        if (envFile is not null)
        {
            yield return $"env: {envFile}";
        }
        yield return $"worker: {prefix} dotnet run --project services/OmniStream.Worker";
        yield return $"gateway: {prefix} dotnet run --project services/OmniStream.Gateway";
        yield return "ops: http://127.0.0.1:8080/ops";
        yield return $"token: {Token}";
        yield return $"curl -H \"Authorization: Bearer {Token}\" http://127.0.0.1:8080/customers/<customer id>";
    }
}
