using Microsoft.Extensions.Hosting;
using OmniStream.Kafka;

namespace OmniStream.Kafka.Operations.Topics;

/// <summary>
/// A hosted service that, registered before the others, stops the host at start when the brokers
/// cannot be reached or lack a topic the process reads or writes, naming the topics and how to create them.
/// </summary>
public sealed class RequiredTopicsCheck(KafkaOptions kafka, IReadOnlyList<string> topics, string remedy) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var missing = ClusterMetadata.Missing(kafka, topics, ClusterMetadata.DefaultTimeout);
        return missing.Count == 0
            ? Task.CompletedTask
            : throw new MissingTopicsException(missing, "this process does not create topics", remedy);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
