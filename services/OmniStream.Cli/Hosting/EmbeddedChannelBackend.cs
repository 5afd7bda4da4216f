using Microsoft.Extensions.Logging.Abstractions;
using OmniStream.Channels.Subscribing;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Kafka;

namespace OmniStream.Cli.Hosting;

/// <summary>A channel backend inside the demo's or the benchmark's process: receives every channel's actions until disposed.</summary>
internal sealed class EmbeddedChannelBackend : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task _receiving;

    private EmbeddedChannelBackend(KafkaOptions kafka, string groupId, Func<NextBestAction, CancellationToken, ValueTask> onAction, CancellationToken stop)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var subscriber = new ActionSubscriber(kafka, new ActionSubscriberOptions { GroupId = groupId, Channels = TopicCatalog.Channels },
            new AvroSerde<NextBestAction>(SchemaCatalog.Default), NullLogger<ActionSubscriber>.Instance);
        _receiving = subscriber.RunAsync(onAction, _stop.Token);
    }

    /// <summary>Starts receiving, in the consumer group <paramref name="groupId"/>; stops on dispose or when <paramref name="stop"/> is cancelled.</summary>
    public static EmbeddedChannelBackend Start(KafkaOptions kafka, string groupId, Func<NextBestAction, CancellationToken, ValueTask> onAction, CancellationToken stop) =>
        new(kafka, groupId, onAction, stop);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _receiving;
        _stop.Dispose();
    }
}
