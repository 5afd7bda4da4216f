using OmniStream.Channels.Tracing;

namespace OmniStream.Channels.Tests.Tracing;

public class TraceHeadersTests
{
    [Test]
    public void A_traceparent_travels_in_its_header()
    {
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        Assert.That(TraceHeaders.Read(TraceHeaders.With(traceParent)), Is.EqualTo(traceParent));
    }

    [Test]
    public void No_traceparent_means_no_header() => Assert.That(TraceHeaders.With(null), Is.Empty);
}
