using Microsoft.Extensions.Logging;
using OmniStream.Customers.Segments;

namespace OmniStream.Worker.Definitions;

/// <summary>The segment definitions in force, from the segment file (see <see cref="DefinitionCatalog{T}"/>).</summary>
/// <exception cref="SegmentFileException">The file does not validate at start.</exception>
public sealed class SegmentCatalog(SegmentOptions options, ILogger<SegmentCatalog> logger)
    : DefinitionCatalog<IReadOnlyList<SegmentDefinition>>(options, SegmentFile.Parse, [], "Segments", logger);
