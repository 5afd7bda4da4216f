using Microsoft.Extensions.Options;
using OmniStream.ServiceDefaults.Hosting;
using OmniStream.Kafka.Operations.Topics;

namespace OmniStream.ServiceDefaults.Tests.Hosting;

public class ServiceHostTests
{
    [Test]
    public void A_setting_that_does_not_validate_is_told_by_its_own_message_and_is_a_misconfiguration()
    {
        var error = new OptionsValidationException("OmniStream:Stream", typeof(object),
            ["DataAnnotation validation failed for 'StreamOptions' members: 'CommitInterval' with the error: 'OmniStream:Stream:CommitInterval must be between 10 ms and 1 minute'."]);

        Assert.That(ServiceHost.Describe(error), Is.EqualTo("OmniStream:Stream:CommitInterval must be between 10 ms and 1 minute"));
        Assert.That(ServiceHost.IsMisconfiguration(error), Is.True);
    }

    [Test]
    public void Wrapped_failures_are_told_by_their_cause_on_one_line()
    {
        var cause = new MissingTopicsException(["app-instances"], "no controller", "create them");

        Assert.That(ServiceHost.Cause(new AggregateException(cause)), Is.SameAs(cause));
        Assert.That(ServiceHost.IsMisconfiguration(cause), Is.True);
        Assert.That(ServiceHost.Describe(new TimeoutException("line one\nline two")), Is.EqualTo("TimeoutException: line one line two"));
        Assert.That(ServiceHost.IsMisconfiguration(new TimeoutException()), Is.False);
    }
}
