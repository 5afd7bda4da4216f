using Microsoft.Extensions.Logging;
using OmniStream.Decisions.Policies;

namespace OmniStream.Worker.Definitions;

/// <summary>The next best action policies in force, from the policy file (see <see cref="DefinitionCatalog{T}"/>).</summary>
/// <exception cref="PolicyFileException">The file does not validate at start.</exception>
public sealed class PolicyCatalog(PolicyOptions options, ILogger<PolicyCatalog> logger)
    : DefinitionCatalog<PolicySet>(options, PolicyFile.Parse, PolicySet.Empty, "Policies", logger);
