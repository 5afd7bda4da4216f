using System.Text.RegularExpressions;
using Confluent.Kafka;
using OmniStream.Kafka;

namespace OmniStream.Streaming.Tests.Hosting;

/// <summary>The security settings reach every kind of client, through the one place that builds client settings.</summary>
public partial class KafkaSecurityTests
{
    private static IEnumerable<TestCaseData> EveryKindOfClient()
    {
        yield return new TestCaseData(new Func<KafkaOptions, ClientConfig>(o => KafkaClientConfigs.Producer(o, "p"))).SetName("producer (SDK publisher and reporter, gateway, dead-letter replay, instance directory)");
        yield return new TestCaseData(new Func<KafkaOptions, ClientConfig>(o => KafkaClientConfigs.StageProducer(o, "s"))).SetName("stage producer (engine)");
        yield return new TestCaseData(new Func<KafkaOptions, ClientConfig>(o => KafkaClientConfigs.Consumer(o, "g", "c"))).SetName("consumer (engine, restorer, SDK subscriber, gateway)");
        yield return new TestCaseData(new Func<KafkaOptions, ClientConfig>(KafkaClientConfigs.Admin)).SetName("admin (topics, checks, CLI)");
    }

    [TestCaseSource(nameof(EveryKindOfClient))]
    public void Sasl_ssl_with_scram_reaches_the_client(Func<KafkaOptions, ClientConfig> build)
    {
        var ca = Path.GetTempFileName();
        var options = new KafkaOptions { BootstrapServers = "broker:9093", SecurityProtocol = "SASL_SSL" };
        options.Sasl.Mechanism = "SCRAM-SHA-512";
        options.Sasl.Username = "omnistream";
        options.Sasl.Password = "pa55word";
        options.Tls.CaLocation = ca;

        var config = build(options);

        Assert.That(options.Problem(), Is.Null);
        Assert.That(config.SecurityProtocol, Is.EqualTo(SecurityProtocol.SaslSsl));
        Assert.That(config.SaslMechanism, Is.EqualTo(SaslMechanism.ScramSha512));
        Assert.That(config.SaslUsername, Is.EqualTo("omnistream"));
        Assert.That(config.SaslPassword, Is.EqualTo("pa55word"));
        Assert.That(config.SslCaLocation, Is.EqualTo(ca));
        Assert.That(config.SslEndpointIdentificationAlgorithm, Is.EqualTo(SslEndpointIdentificationAlgorithm.Https));
        File.Delete(ca);
    }

    [TestCaseSource(nameof(EveryKindOfClient))]
    public void Oauthbearer_uses_the_identity_providers_token_endpoint(Func<KafkaOptions, ClientConfig> build)
    {
        var options = new KafkaOptions { BootstrapServers = "broker:9093", SecurityProtocol = "SASL_SSL" };
        options.Sasl.Mechanism = "OAUTHBEARER";
        options.Sasl.TokenEndpointUrl = "https://login.example.com/oauth2/token";
        options.Sasl.ClientId = "omnistream-worker";
        options.Sasl.ClientSecret = "client-secret";

        var config = build(options);

        Assert.That(options.Problem(), Is.Null);
        Assert.That(config.SaslMechanism, Is.EqualTo(SaslMechanism.OAuthBearer));
        Assert.That(config.SaslOauthbearerMethod, Is.EqualTo(SaslOauthbearerMethod.Oidc));
        Assert.That(config.SaslOauthbearerTokenEndpointUrl, Is.EqualTo("https://login.example.com/oauth2/token"));
        Assert.That(config.SaslOauthbearerClientId, Is.EqualTo("omnistream-worker"));
        Assert.That(config.SaslOauthbearerClientSecret, Is.EqualTo("client-secret"));
    }

    [TestCaseSource(nameof(EveryKindOfClient))]
    public void Mutual_tls_sends_the_client_certificate(Func<KafkaOptions, ClientConfig> build)
    {
        var (certificate, key) = (Path.GetTempFileName(), Path.GetTempFileName());
        var options = new KafkaOptions { BootstrapServers = "broker:9093", SecurityProtocol = "SSL" };
        options.Tls.CertificateLocation = certificate;
        options.Tls.KeyLocation = key;
        options.Tls.KeyPassword = "key-password";

        var config = build(options);

        Assert.That(config.SecurityProtocol, Is.EqualTo(SecurityProtocol.Ssl));
        Assert.That(config.SslCertificateLocation, Is.EqualTo(certificate));
        Assert.That(config.SslKeyLocation, Is.EqualTo(key));
        Assert.That(config.SslKeyPassword, Is.EqualTo("key-password"));
        Assert.That(config.SaslMechanism, Is.Null);
        File.Delete(certificate);
        File.Delete(key);
    }

    [TestCase("TLS", null, "OmniStream:Kafka:SecurityProtocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL (got 'TLS')")]
    [TestCase("SASL_SSL", null, "OmniStream:Kafka:Sasl:Mechanism is required with a SASL protocol")]
    [TestCase("SASL_SSL", "PLAIN", "OmniStream:Kafka:Sasl:Username and OmniStream:Kafka:Sasl:Password are required with PLAIN")]
    [TestCase("SASL_SSL", "GSSAPI", "OmniStream:Kafka:Sasl:Mechanism must be PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER (got 'GSSAPI')")]
    [TestCase("SASL_SSL", "OAUTHBEARER", "OmniStream:Kafka:Sasl:TokenEndpointUrl must be an absolute URL with OAUTHBEARER")]
    [TestCase("PLAINTEXT", "PLAIN", "OmniStream:Kafka:Sasl:Mechanism is set but OmniStream:Kafka:SecurityProtocol is PLAINTEXT")]
    public void Security_settings_that_do_not_hold_together_are_refused_naming_the_setting(string protocol, string? mechanism, string expected)
    {
        var options = new KafkaOptions { BootstrapServers = "broker:9093", SecurityProtocol = protocol };
        options.Sasl.Mechanism = mechanism ?? "";

        Assert.That(options.Problem(), Does.StartWith(expected));
    }

    [Test]
    public void A_tls_file_that_does_not_exist_is_refused_naming_it()
    {
        var options = new KafkaOptions { BootstrapServers = "broker:9093", SecurityProtocol = "SSL" };
        options.Tls.CaLocation = "/nowhere/ca.pem";

        Assert.That(options.Problem(), Is.EqualTo("OmniStream:Kafka:Tls:CaLocation: no file at '/nowhere/ca.pem'"));
    }

    [Test]
    public void Every_kafka_client_of_the_services_is_configured_by_KafkaClientConfigs()
    {
        var services = Path.Combine(Testing.Repository.Root, "services");
        var offenders = Directory.EnumerateFiles(services, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                           && Path.GetFileName(file) != "KafkaClientConfigs.cs")
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, i)))
            .Where(x => ClientConfigConstruction().IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(services, x.file)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();

        Assert.That(offenders, Is.Empty, "a client whose settings skip KafkaClientConfigs would miss the security settings");
    }

    [GeneratedRegex(@"new\s+(ProducerConfig|ConsumerConfig|AdminClientConfig|ClientConfig)\s*[({]")]
    private static partial Regex ClientConfigConstruction();
}
