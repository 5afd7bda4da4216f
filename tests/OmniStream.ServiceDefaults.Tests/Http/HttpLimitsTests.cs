using OmniStream.ServiceDefaults.Http;

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
    public void A_customer_id_becomes_a_pseudonym_in_the_audit_log()
    {
        // The first 16 hex digits of SHA-256("cust-00042"), computed apart: the same id always gives the same pseudonym.
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("cust-00042"u8))[..16];

        Assert.That(AuditLog.Pseudonym("cust-00042"), Is.EqualTo(expected).And.Not.Contain("cust"));
    }
}
