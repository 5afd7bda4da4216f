using OmniStream.Channels.Topics;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Channels.Tests.Topics;

public class TopicCatalogTests
{
    [Test]
    public void Every_channel_but_unknown_has_an_interactions_and_an_actions_topic()
    {
        Assert.That(TopicCatalog.Channels, Does.Not.Contain(Channel.UNKNOWN));
        Assert.That(TopicCatalog.Interactions(Channel.MOBILE_APP).Name, Is.EqualTo("omni.interactions.mobile-app"));
        Assert.That(TopicCatalog.Actions(Channel.CALL_CENTER).Name, Is.EqualTo("omni.actions.call-center"));
        Assert.That(TopicCatalog.AllInteractions, Has.Count.EqualTo(TopicCatalog.Channels.Count));
    }

    [Test]
    public void Topic_names_are_unique_and_legal()
    {
        var names = TopicCatalog.All.Select(t => t.Name).ToList();

        Assert.That(names, Is.Unique);
        Assert.That(names, Has.All.Match("^[a-z0-9._-]{1,249}$"));
    }

    [Test]
    public void Profiles_are_compacted_and_kept_forever()
    {
        Assert.That(TopicCatalog.CustomerProfiles.Config["cleanup.policy"], Is.EqualTo("compact"));
        Assert.That(TopicCatalog.CustomerProfiles.Config["retention.ms"], Is.EqualTo("-1"));
        Assert.That(TopicCatalog.DeadLetter.Config["retention.ms"], Is.EqualTo("2592000000"));
    }
}
