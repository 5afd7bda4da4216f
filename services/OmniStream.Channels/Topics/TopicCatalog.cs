using OmniStream.Schemas.Contracts;
using OmniStream.Kafka;

namespace OmniStream.Channels.Topics;

/// <summary>Every public topic of OmniStream, with its partitions and retention. No topic name is spelled elsewhere.</summary>
public static class TopicCatalog
{
    /// <summary>Default partition count of the public topics.</summary>
    public const int DefaultPartitions = 6;

    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    /// <summary>The channels that have their own topics (every channel but UNKNOWN).</summary>
    public static IReadOnlyList<Channel> Channels { get; } = Enum.GetValues<Channel>().Where(c => c != Channel.UNKNOWN).ToList();

    /// <summary>Dead letters: undecodable or rejected records, original bytes untouched, reason in headers.</summary>
    public static TopicSpec DeadLetter { get; } = new("omni.deadletter", DefaultPartitions, false, TimeSpan.FromDays(30),
        "records that could not be processed, original key and bytes, reason in headers");

    /// <summary>Events refused at the gateway's HTTP ingestion: the event's JSON untouched, the reason in headers (the gateway's BadRows, in OmniStream.Adapters); a week, as the channels' own topics (raw JSON holds personal data).</summary>
    public static TopicSpec BadRows { get; } = new("omni.bad-rows", DefaultPartitions, false, Week,
        "events refused by the gateway's HTTP ingestion, JSON untouched, reason in headers");

    /// <summary>
    /// Erasure requests made through the workers' privacy API (<c>POST /privacy/erasure/{id}</c>, permission
    /// <c>privacy:erase</c>): <see cref="ErasureRequested"/> events keyed by customer id, which only the workers'
    /// principal may write. An erasure request on a channel's topic is refused.
    /// </summary>
    public static TopicSpec PrivacyRequests { get; } = new("omni.privacy-requests", DefaultPartitions, false, Week,
        "ErasureRequested from the workers' privacy API, key = customer id; written by the workers alone");

    /// <summary>Outcomes of actions reported by channels.</summary>
    public static TopicSpec ActionOutcomes { get; } = new("omni.action-outcomes", DefaultPartitions, false, Week,
        "ActionOutcome reported by channels (delivered, opened, clicked, converted, dismissed, failed)");

    /// <summary>Latest snapshot of each customer, for CRMs and service desks.</summary>
    public static TopicSpec CustomerProfiles { get; } = new("omni.customer-profiles", DefaultPartitions, true, null,
        "CustomerProfile: one 360° snapshot per customer (compacted); tombstone on erasure");

    /// <summary>Customers erased on request, for downstream systems to erase them too.</summary>
    public static TopicSpec ErasureNotices { get; } = new("omni.erasure-notices", DefaultPartitions, false, TimeSpan.FromDays(30),
        "ErasureNotice: a customer was erased; downstream systems erase them too");

    /// <summary>KPIs over windows, per channel and segment.</summary>
    public static TopicSpec Kpis { get; } = new("omni.kpis", DefaultPartitions, false, TimeSpan.FromDays(30),
        "KpiUpdate: conversion, NPS, CES and action conversion per window and channel, segment or action variant; the latest update of a key holds");

    /// <summary>Customers entering and leaving segments.</summary>
    public static TopicSpec SegmentChanges { get; } = new("omni.segment-changes", DefaultPartitions, false, Week,
        "SegmentChange: a customer entered or left a segment");

    private static readonly TopicSpec[] InteractionsByChannel = [.. Enum.GetValues<Channel>().Select(channel =>
        new TopicSpec($"omni.interactions.{Slug(channel)}", DefaultPartitions, false, Week, $"InteractionEvent published by the {Slug(channel)} backend, key = subject"))];

    private static readonly TopicSpec[] ActionsByChannel = [.. Enum.GetValues<Channel>().Select(channel =>
        new TopicSpec($"omni.actions.{Slug(channel)}", DefaultPartitions, false, Week, $"NextBestAction for the {Slug(channel)} backend, key = customer id"))];

    /// <summary>The interactions topic of a channel: InteractionEvent keyed by subject.</summary>
    public static TopicSpec Interactions(Channel channel) => InteractionsByChannel[(int)channel];

    /// <summary>The actions topic of a channel: NextBestAction keyed by customer id.</summary>
    public static TopicSpec Actions(Channel channel) => ActionsByChannel[(int)channel];

    /// <summary>Every interactions topic.</summary>
    public static IReadOnlyList<TopicSpec> AllInteractions => Channels.Select(Interactions).ToList();

    /// <summary>Every actions topic.</summary>
    public static IReadOnlyList<TopicSpec> AllActions => Channels.Select(Actions).ToList();

    /// <summary>Every public topic, in the order of the flow.</summary>
    public static IReadOnlyList<TopicSpec> All =>
        [.. AllInteractions, PrivacyRequests, .. AllActions, ActionOutcomes, CustomerProfiles, ErasureNotices, Kpis, SegmentChanges, DeadLetter, BadRows];

    /// <summary>The channel's name in topic names: lower case, words joined by '-' (MOBILE_APP is mobile-app).</summary>
    public static string Slug(Channel channel) =>
#pragma warning disable CA1308 // topic names are lower case by convention; no round trip through upper case happens.
        channel.ToString().ToLowerInvariant().Replace('_', '-');
#pragma warning restore CA1308
}
