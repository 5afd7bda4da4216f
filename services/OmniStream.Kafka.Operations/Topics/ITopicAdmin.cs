using OmniStream.Kafka;

namespace OmniStream.Kafka.Operations.Topics;

/// <summary>Creates topics, or checks that existing ones match their specification.</summary>
public interface ITopicAdmin
{
    /// <summary>Creates the missing topics; returns one line per topic saying what was done or what differs.</summary>
    Task<IReadOnlyList<string>> ApplyAsync(IEnumerable<TopicSpec> topics, CancellationToken cancellationToken = default);
}
