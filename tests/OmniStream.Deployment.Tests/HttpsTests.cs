using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OmniStream.Testing;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.Testing.Http;
using OmniStream.Testing.Kafka;
using OmniStream.Testing.Processes;

namespace OmniStream.Deployment.Tests;

/// <summary>HTTPS as docs/ops.md configures it: an https URL and Kestrel's default certificate from the settings.</summary>
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

    [Test]
    public async Task Two_workers_serve_https_and_ask_each_other_over_it_trusting_the_certificate_authorities_they_are_given()
    {
        const string App = "https-workers";
        await OutageTests.CreateTopicsAsync(App);
        var directory = FailureModeTests.Directory("https-workers");
        Directory.CreateDirectory(directory);
        using var certificate = SelfSigned();
        var pfx = Path.Combine(directory, "worker.pfx");
        var authorities = Path.Combine(directory, "authorities.pem");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        await File.WriteAllTextAsync(authorities, certificate.ExportCertificatePem());
        var processes = new List<ServiceProcess>();
        var apis = new List<Uri>();
        try
        {
            foreach (var instance in new[] { "tls-worker-1", "tls-worker-2" })
            {
                var url = $"https://127.0.0.1:{new Uri(Streaming.Hosting.LoopbackPort.FreeUrl()).Port}";
                processes.Add(WorkerProcesses.Start(instance, Path.Combine(directory, instance), ShortSessions.With(new Dictionary<string, string>
                {
                    ["OmniStream:Kafka:BootstrapServers"] = ClusterFixture.Cluster.BootstrapServers,
                    ["OmniStream:Stream:ApplicationId"] = App,
                    ["OmniStream:Api:Url"] = url,
                    ["OmniStream:Stream:Endpoint"] = url,
                    ["Kestrel:Certificates:Default:Path"] = pfx,
                    ["Kestrel:Certificates:Default:Password"] = "pfx-password",
                    // The workers trust exactly this authority (OpenSSL's variable, which .NET reads on Linux).
                    ["SSL_CERT_FILE"] = authorities,
                })).Process);
                apis.Add(new Uri(url));
            }
            using var http = new HttpClient(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
            });
            http.DefaultRequestHeaders.Add(ApiKeyHandler.Header, TestCredentials.AdminKey);
            await SharedPartitions.WaitAsync(http, apis, processes, TimeSpan.FromSeconds(90));
            var customers = SharedPartitions.CustomersOnEveryPartition("tls");
            using (var publisher = new Channels.Publishing.ChannelPublisher(new Kafka.KafkaOptions { BootstrapServers = ClusterFixture.Cluster.BootstrapServers },
                new Schemas.Wire.AvroSerde<Schemas.Contracts.InteractionEvent>(Schemas.Catalog.SchemaCatalog.Default)))
            {
                foreach (var customer in customers)
                {
                    await publisher.PublishAsync(new Testing.Contracts.Interactions(customer, DateTime.UtcNow).PageViewed(Schemas.Contracts.Channel.WEB));
                }
            }

            // Every customer through both workers: one of the two answers second-hand, over HTTPS.
            foreach (var customer in customers)
            {
                foreach (var api in apis)
                {
                    await Wait.UntilAsync(async () => await SharedPartitions.StatusAsync(http, new Uri(api, $"/customers/{customer}")) == HttpStatusCode.OK,
                        TimeSpan.FromSeconds(60), $"the view of {customer} through {api}");
                }
            }
            Assert.That(processes.SelectMany(p => p.Stdout), Has.Some.Contains("audit forward GET /customers/{id}"), "views handed over between the workers");
        }
        catch
        {
            processes.ForEach(p => TestContext.Out.WriteLine(p.Output));
            throw;
        }
        finally
        {
            foreach (var process in processes)
            {
                Assert.That(await process.StopAsync(TimeSpan.FromSeconds(30)), Is.Zero, process.Output);
                process.Dispose();
            }
        }
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
