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

    [Test]
    public void A_compacted_topic_drops_an_overwritten_or_erased_value_within_a_bound()
    {
        var profiles = TopicCatalog.CustomerProfiles.Config;

        // A segment rolls within a day and is compacted within a week: a tombstone takes effect within 8 days, even on a quiet partition.
        Assert.That(profiles["segment.ms"], Is.EqualTo("86400000"));
        Assert.That(profiles["max.compaction.lag.ms"], Is.EqualTo("604800000"));
        Assert.That(TopicCatalog.DeadLetter.Config.ContainsKey("max.compaction.lag.ms"), Is.False, "a topic that is not compacted");
    }
}
