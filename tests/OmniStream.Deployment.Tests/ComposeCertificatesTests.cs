using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;

namespace OmniStream.Deployment.Tests;

/// <summary>The SASL_SSL compose variant's certificate script, run with the JDK's keytool as the Kafka image runs it.</summary>
public class ComposeCertificatesTests
{
    [Test]
    public async Task The_script_makes_a_ca_and_one_broker_certificate_it_signs_for_every_broker_name()
    {
        if (!File.Exists("/usr/bin/keytool"))
        {
            Assert.Ignore("keytool (a JDK) is not installed");
        }
        var root = Testing.Repository.Root;
        var certs = Directory.CreateTempSubdirectory("omnistream-certs-").FullName;
        var script = (await File.ReadAllTextAsync(Path.Combine(root, "deploy/compose/make-certs.sh"))).Replace("/certs", certs, StringComparison.Ordinal);
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        start.Environment["KAFKA_KEYSTORE_PASSWORD"] = "keystore-password";
        start.Environment["KAFKA_BROKER_PASSWORD"] = "broker-password";
        using var shell = Process.Start(start)!;
        await shell.StandardInput.WriteAsync(script);
        shell.StandardInput.Close();
        var errors = await shell.StandardError.ReadToEndAsync();
        await shell.WaitForExitAsync();

        Assert.That(shell.ExitCode, Is.Zero, errors);
        using var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(certs, "ca.pem")));
        using var broker = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(certs, "broker.p12"), "keystore-password");
        using var chain = new X509Chain { ChainPolicy = { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck } };
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        Assert.That(chain.Build(broker), Is.True, string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        foreach (var name in new[] { "kafka-1", "kafka-2", "kafka-3", "localhost" })
        {
            Assert.That(broker.MatchesHostname(name), Is.True, name);
        }
        Assert.That(await File.ReadAllTextAsync(Path.Combine(certs, "client.properties")), Does.Contain("security.protocol=SASL_SSL"));
        Directory.Delete(certs, recursive: true);
    }
}
