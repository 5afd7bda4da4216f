using OmniStream.ServiceDefaults.Http;
using OmniStream.ServiceDefaults.Privacy;

namespace OmniStream.ServiceDefaults.Tests.Http;

public class HttpLimitsTests
{
    [Test]
    public void The_first_field_over_its_limit_is_named_with_its_length()
    {
        Assert.That(HttpLimits.TooLong(("id", "abc", 3), ("reason", new string('r', 11), 10)), Is.EqualTo("'reason' is 11 characters long; at most 10 are accepted"));
        Assert.That(HttpLimits.TooLong(("id", null, 3)), Is.Null);
    }

    [Test]
    public void A_customer_id_becomes_a_pseudonym_keyed_by_a_secret()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        // The first 16 hex digits of HMAC-SHA256 under the key, computed apart: the same id always gives the same pseudonym.
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(key, "cust-00042"u8))[..16];
        var unkeyed = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("cust-00042"u8))[..16];

        var pseudonym = new Pseudonyms(key).Of("cust-00042");

        Assert.That(pseudonym, Is.EqualTo(expected).And.Not.Contain("cust"));
        Assert.That(pseudonym, Is.Not.EqualTo(unkeyed), "no one without the key can hash candidate ids to find it");
        Assert.That(new Pseudonyms([.. key.Reverse()]).Of("cust-00042"), Is.Not.EqualTo(pseudonym));
    }

    [TestCase(null, false)]
    [TestCase("c2hvcnQ=", true)]
    [TestCase("not base64!", true)]
    public void The_pseudonym_key_comes_from_configuration_or_is_made_for_the_process(string? key, bool refused)
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationManager();
        configuration[Pseudonyms.KeySetting] = key;

        if (refused)
        {
            Assert.That(Assert.Throws<InvalidOperationException>(() => Pseudonyms.From(configuration))!.Message, Does.StartWith("OmniStream:Audit:PseudonymKey must be base64"));
            return;
        }
        var (first, second) = (Pseudonyms.From(configuration), Pseudonyms.From(configuration));
        Assert.That(first.IsConfigured, Is.False);
        Assert.That(first.Of("x"), Is.Not.EqualTo(second.Of("x")), "a key made afresh: nothing to guess");
    }
}
