namespace OmniStream.Worker.Definitions;

/// <summary>Where the next best action policies come from. Section <c>OmniStream:Policies</c>.</summary>
public sealed class PolicyOptions : DefinitionFileOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OmniStream:Policies";

    /// <summary>The YAML policy file (default <c>policies.yaml</c> next to the worker); no file means no action is ever decided.</summary>
    public override string File { get; set; } = Path.Combine(AppContext.BaseDirectory, "policies.yaml");
}
