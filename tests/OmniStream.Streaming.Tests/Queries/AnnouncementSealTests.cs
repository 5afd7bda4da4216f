using System.Security.Cryptography;
using System.Text;
using OmniStream.Streaming.Queries;

namespace OmniStream.Streaming.Tests.Queries;

public class AnnouncementSealTests
{
    private static readonly InstanceAnnouncement Announcement = new("worker-1", "http://worker-1:8080", "customers", ["in:0", "in:1"], DateTime.UtcNow);
    private static readonly string Key = InstanceAnnouncement.KeyOf("customers", "worker-1");

    [Test]
    public void An_announcement_sealed_with_the_applications_key_opens_as_it_was()
    {
        var seal = new AnnouncementSeal(RandomNumberGenerator.GetBytes(32));

        var (opened, refusal) = seal.Open(Key, seal.Seal(Key, Announcement));

        Assert.That(refusal, Is.Null);
        Assert.That(opened!.Partitions, Is.EqualTo(Announcement.Partitions));
        Assert.That(opened.Endpoint, Is.EqualTo(Announcement.Endpoint));
    }

    [Test]
    public void An_unsigned_announcement_or_one_signed_with_another_key_is_refused()
    {
        var seal = new AnnouncementSeal(RandomNumberGenerator.GetBytes(32));
        var other = new AnnouncementSeal(RandomNumberGenerator.GetBytes(32));

        Assert.That(seal.Open(Key, Announcement.Encode()).Refusal, Is.EqualTo("not a signed announcement"));
        Assert.That(seal.Open(Key, other.Seal(Key, Announcement)).Refusal, Does.StartWith("its signature does not verify"));
    }

    [Test]
    public void A_signed_announcement_moved_under_another_key_or_altered_is_refused()
    {
        var seal = new AnnouncementSeal(RandomNumberGenerator.GetBytes(32));
        var sealedValue = seal.Seal(Key, Announcement);
        var altered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(sealedValue).Replace("\"body\":\"", "\"body\":\"e", StringComparison.Ordinal));

        Assert.That(seal.Open(InstanceAnnouncement.KeyOf("customers", "worker-2"), sealedValue).Refusal, Does.StartWith("its signature does not verify"));
        Assert.That(seal.Open(Key, altered).Announcement, Is.Null);
    }
}
