using OmniStream.Kafka;

namespace OmniStream.Kafka.Operations.Topics;

/// <summary>Creates topics, or checks that existing ones match their specification.</summary>
public interface ITopicAdmin
{
    /// <summary>Creates the missing topics; returns, per topic, what was done or what differs.</summary>
    Task<IReadOnlyList<TopicApplied>> ApplyAsync(IEnumerable<TopicSpec> topics, CancellationToken cancellationToken = default);
}
