using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniStream.ServiceDefaults.Auth;

namespace OmniStream.ServiceDefaults.Tests.Auth;

public class AuthOptionsTests
{
    [Test]
    public void A_service_with_no_credentials_configured_does_not_start_and_says_what_to_set()
    {
        Assert.That(new AuthOptions().Problem(), Does.StartWith("OmniStream:Auth: no credentials are configured").And.Contain("OmniStream:Auth:Jwt:PublicKey"));
    }

    [Test]
    public void Every_permission_granted_anonymously_needs_no_credentials()
    {
        var options = new AuthOptions { Anonymous = [.. Permissions.All] };

        Assert.That(options.Problem(), Is.Null);
    }

    [TestCase("short", "OmniStream:Auth:ApiKeys:0:Key must be at least 32 characters")]
    [TestCase(null, "OmniStream:Auth:ApiKeys:0:Permissions: unknown permission 'customers:write'")]
    public void A_bad_api_key_is_refused_naming_the_setting(string? key, string expected)
    {
        var options = new AuthOptions();
        var credential = new ApiKeyCredential { Name = "crm", Key = key ?? new string('k', 32) };
        credential.Permissions.Add(key is null ? "customers:write" : Permissions.CustomersRead);
        options.ApiKeys.Add(credential);

        Assert.That(options.Problem(), Does.StartWith(expected));
    }

    [TestCase("actions:read:web", true)]
    [TestCase("actions:read:mobile-app", true)]
    [TestCase("actions:read:", false)]
    [TestCase("actions:read:WEB", false)]
    [TestCase("actions:read:web/../x", false)]
    public void A_key_may_read_one_channels_actions(string permission, bool known)
    {
        var options = new AuthOptions();
        var credential = new ApiKeyCredential { Name = "web-backend", Key = new string('k', 32) };
        credential.Permissions.Add(permission);
        options.ApiKeys.Add(credential);

        Assert.That(options.Problem(), known ? Is.Null : Does.StartWith($"OmniStream:Auth:ApiKeys:0:Permissions: unknown permission '{permission}'"));
    }

    [TestCase("c2hvcnQ=", "OmniStream:Auth:Jwt:SigningKey must be at least 32 bytes")]
    [TestCase("not base64!", "OmniStream:Auth:Jwt:SigningKey must be base64")]
    public void A_bad_signing_key_is_refused_naming_the_setting(string key, string expected)
    {
        var options = new AuthOptions { Jwt = { SigningKey = key } };

        Assert.That(options.Problem(), Does.StartWith(expected));
    }

    [Test]
    public void An_authority_and_a_signing_key_together_are_refused()
    {
        var options = new AuthOptions { Jwt = { Authority = "https://login.example", SigningKey = Convert.ToBase64String(new byte[32]) } };

        Assert.That(options.Problem(), Does.StartWith("OmniStream:Auth:Jwt: set one of Authority").And.Contain("SigningKey"));
    }

    [Test]
    public void An_unknown_anonymous_permission_is_refused()
    {
        var options = new AuthOptions { Anonymous = ["everything"] };

        Assert.That(options.Problem(), Does.StartWith("OmniStream:Auth:Anonymous: unknown permission 'everything'"));
    }
}

public class AuthOptionsBindingTests
{
    [Test]
    public void Anonymous_set_in_configuration_replaces_the_default_and_a_blank_entry_closes_everything()
    {
        AuthOptions Bound(Dictionary<string, string?> settings)
        {
            var services = new ServiceCollection();
            settings["OmniStream:Auth:Jwt:SigningKey"] = Convert.ToBase64String(new byte[32]);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            services.AddSingleton<IConfiguration>(configuration);
            AuthExtensions.AddAuthOptions(services);
            return services.BuildServiceProvider().GetRequiredService<IOptions<AuthOptions>>().Value;
        }

        Assert.That(Bound([]).AnonymousPermissions, Is.EquivalentTo(Permissions.AnonymousByDefault));
        Assert.That(Bound(new() { ["OmniStream:Auth:Anonymous:0"] = "" }).AnonymousPermissions, Is.Empty);
        Assert.That(Bound(new() { ["OmniStream:Auth:Anonymous:0"] = Permissions.Health }).AnonymousPermissions, Is.EquivalentTo(new[] { Permissions.Health }));
    }
}
