using Avro;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Schemas.Catalog;

/// <summary>The top-level records that travel on OmniStream's topics.</summary>
public static class ContractTypes
{
    /// <summary>The current (reader) schema of every top-level contract.</summary>
    public static IReadOnlyList<RecordSchema> Current { get; } =
    [
        (RecordSchema)InteractionEvent._SCHEMA,
        (RecordSchema)NextBestAction._SCHEMA,
        (RecordSchema)ActionOutcome._SCHEMA,
        (RecordSchema)CustomerProfile._SCHEMA,
        (RecordSchema)ErasureNotice._SCHEMA,
        (RecordSchema)SegmentChange._SCHEMA,
        (RecordSchema)KpiUpdate._SCHEMA,
    ];
}
