using Avro;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Cli.Commands;

/// <summary>
/// The registry subjects of OmniStream's topics (topic-name strategy: the topic's name and
/// <c>-value</c>), each with its contract: the versions released before, oldest first, then the current one.
/// </summary>
internal static class SchemaSubjects
{
    /// <summary>Each subject with the schemas to register under it, in order.</summary>
    public static IReadOnlyList<(string Subject, IReadOnlyList<Schema> Versions)> All()
    {
        var topics = new List<(string Topic, RecordSchema Contract)>
        {
            (TopicCatalog.PrivacyRequests.Name, (RecordSchema)InteractionEvent._SCHEMA),
            (TopicCatalog.ActionOutcomes.Name, (RecordSchema)ActionOutcome._SCHEMA),
            (TopicCatalog.CustomerProfiles.Name, (RecordSchema)CustomerProfile._SCHEMA),
            (TopicCatalog.ErasureNotices.Name, (RecordSchema)ErasureNotice._SCHEMA),
            (TopicCatalog.Kpis.Name, (RecordSchema)KpiUpdate._SCHEMA),
            (TopicCatalog.SegmentChanges.Name, (RecordSchema)SegmentChange._SCHEMA),
        };
        topics.AddRange(TopicCatalog.AllInteractions.Select(t => (t.Name, (RecordSchema)InteractionEvent._SCHEMA)));
        topics.AddRange(TopicCatalog.AllActions.Select(t => (t.Name, (RecordSchema)NextBestAction._SCHEMA)));
        return [.. topics.Select(t => (t.Topic + "-value", (IReadOnlyList<Schema>)[.. Versions(t.Contract)]))];
    }

    private static IEnumerable<Schema> Versions(RecordSchema contract) =>
        SchemaCatalog.Default.Released.Where(r => r.FullName == contract.Fullname).Select(r => r.Schema).Append(contract);
}
