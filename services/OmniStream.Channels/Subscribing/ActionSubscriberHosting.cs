using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Kafka;

namespace OmniStream.Channels.Subscribing;

/// <summary>What a channel backend does with each action it receives.</summary>
public interface IActionHandler
{
    /// <summary>Acts on <paramref name="action"/>; the action counts as received once this returns.</summary>
    ValueTask HandleAsync(NextBestAction action, CancellationToken cancellationToken);
}

/// <summary>Runs an <see cref="ActionSubscriber"/> for the life of the host, handing each action to the registered <see cref="IActionHandler"/>.</summary>
public sealed class ActionSubscriberService(ActionSubscriber subscriber, IActionHandler handler) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => subscriber.RunAsync(handler.HandleAsync, stoppingToken);
}

/// <summary>Adds the action subscriber to a channel backend's host.</summary>
public static class ActionSubscriberHosting
{
    /// <summary>
    /// Receives the actions of the channels in section <c>OmniStream:Actions</c> (group id, channels)
    /// from the cluster in <c>OmniStream:Kafka</c>, and hands each to <typeparamref name="THandler"/>;
    /// both sections are validated at start, errors naming the setting.
    /// </summary>
    public static IServiceCollection AddActionSubscriber<THandler>(this IServiceCollection services) where THandler : class, IActionHandler
    {
        services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ActionSubscriberOptions>().BindConfiguration(ActionSubscriberOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IActionHandler, THandler>();
        services.AddSingleton(sp => new ActionSubscriber(sp.GetRequiredService<IOptions<KafkaOptions>>().Value, sp.GetRequiredService<IOptions<ActionSubscriberOptions>>().Value,
            new AvroSerde<NextBestAction>(SchemaCatalog.Default), sp.GetRequiredService<ILogger<ActionSubscriber>>()));
        services.AddHostedService<ActionSubscriberService>();
        return services;
    }
}
