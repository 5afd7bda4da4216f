using Avro;
using Confluent.SchemaRegistry;
using Schema = Avro.Schema;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Cli.Commands;

/// <summary>
/// The registry subjects of OmniStream's topics (topic-name strategy: the topic's name and
/// <c>-value</c>), each with its contract (the versions released before, oldest first, then the current one) and
/// the compatibility the registry holds it to. Topics others write and OmniStream reads (interactions, outcomes,
/// privacy requests): BACKWARD, since OmniStream, their reader, upgrades first. Topics OmniStream writes for others
/// (actions, profiles, segment changes, erasure notices, KPIs): FULL_TRANSITIVE, since their readers upgrade when
/// they choose, so data of any version must read with any other.
/// </summary>
internal static class SchemaSubjects
{
    /// <summary>Each subject with the schemas to register under it, in order, and its compatibility.</summary>
    public static IReadOnlyList<(string Subject, IReadOnlyList<Schema> Versions, Compatibility Compatibility)> All()
    {
        var topics = new List<(string Topic, RecordSchema Contract, Compatibility Compatibility)>
        {
            (TopicCatalog.PrivacyRequests.Name, (RecordSchema)InteractionEvent._SCHEMA, Compatibility.Backward),
            (TopicCatalog.ActionOutcomes.Name, (RecordSchema)ActionOutcome._SCHEMA, Compatibility.Backward),
            (TopicCatalog.CustomerProfiles.Name, (RecordSchema)CustomerProfile._SCHEMA, Compatibility.FullTransitive),
            (TopicCatalog.ErasureNotices.Name, (RecordSchema)ErasureNotice._SCHEMA, Compatibility.FullTransitive),
            (TopicCatalog.Kpis.Name, (RecordSchema)KpiUpdate._SCHEMA, Compatibility.FullTransitive),
            (TopicCatalog.SegmentChanges.Name, (RecordSchema)SegmentChange._SCHEMA, Compatibility.FullTransitive),
        };
        topics.AddRange(TopicCatalog.AllInteractions.Select(t => (t.Name, (RecordSchema)InteractionEvent._SCHEMA, Compatibility.Backward)));
        topics.AddRange(TopicCatalog.AllActions.Select(t => (t.Name, (RecordSchema)NextBestAction._SCHEMA, Compatibility.FullTransitive)));
        return [.. topics.Select(t => (t.Topic + "-value", (IReadOnlyList<Schema>)[.. Versions(t.Contract)], t.Compatibility))];
    }

    /// <summary>The registry's name of a compatibility level (e.g. <c>FULL_TRANSITIVE</c>).</summary>
    public static string Name(Compatibility compatibility) => compatibility switch
    {
        Compatibility.Backward => "BACKWARD",
        Compatibility.FullTransitive => "FULL_TRANSITIVE",
        _ => compatibility.ToString().ToUpperInvariant(),
    };

    private static IEnumerable<Schema> Versions(RecordSchema contract) =>
        SchemaCatalog.Default.Released.Where(r => r.FullName == contract.Fullname).Select(r => r.Schema).Append(contract);
}
