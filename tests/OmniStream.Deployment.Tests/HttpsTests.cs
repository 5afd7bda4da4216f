using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OmniStream.Testing;
using OmniStream.Testing.Http;
using OmniStream.Testing.Processes;

namespace OmniStream.Deployment.Tests;

/// <summary>HTTPS as the README configures it: an https URL and Kestrel's default certificate from the settings.</summary>
public class HttpsTests
{
    [Test]
    public async Task The_gateway_serves_https_with_the_certificate_its_settings_name()
    {
        await OutageTests.CreateTopicsAsync("https-app");
        var directory = FailureModeTests.Directory("https");
        Directory.CreateDirectory(directory);
        using var certificate = SelfSigned();
        var pfx = Path.Combine(directory, "gateway.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        var port = new Uri(Streaming.Hosting.LoopbackPort.FreeUrl()).Port;
        using var gateway = ServiceProcess.Start("https-gateway", "omnistream-gateway.dll", directory,
            new Dictionary<string, string>(TestCredentials.Settings)
            {
                ["OmniStream:Kafka:BootstrapServers"] = ClusterFixture.Cluster.BootstrapServers,
                ["OmniStream:Gateway:Url"] = $"https://127.0.0.1:{port}",
                ["Kestrel:Certificates:Default:Path"] = pfx,
                ["Kestrel:Certificates:Default:Password"] = "pfx-password",
            });
        using var http = new HttpClient(new HttpClientHandler
        {
            // Trust exactly the certificate the gateway was given.
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        });

        HttpStatusCode? status = null;
        await Wait.UntilAsync(async () =>
        {
            try
            {
                status = (await http.GetAsync(new Uri($"https://127.0.0.1:{port}/health"))).StatusCode;
            }
            catch (HttpRequestException)
            {
                status = null;
            }
            return status == HttpStatusCode.OK || gateway.HasExited;
        }, TimeSpan.FromSeconds(60), "the gateway's health over HTTPS");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), gateway.Output);
        Assert.That(await gateway.StopAsync(TimeSpan.FromSeconds(30)), Is.Zero, gateway.Output);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
