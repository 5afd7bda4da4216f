namespace OmniStream.Worker.Definitions;

/// <summary>Where the segment definitions come from. Section <c>OmniStream:Segments</c>.</summary>
public sealed class SegmentOptions : DefinitionFileOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OmniStream:Segments";

    /// <summary>The YAML file of segment definitions (default <c>segments.yaml</c> next to the worker); no file means no segments.</summary>
    public override string File { get; set; } = Path.Combine(AppContext.BaseDirectory, "segments.yaml");
}
