namespace OmniStream.Worker.Segments;

/// <summary>Where the segment definitions come from. Section <c>OmniStream:Segments</c>.</summary>
public sealed class SegmentOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OmniStream:Segments";

    /// <summary>The YAML file of segment definitions (default <c>segments.yaml</c> next to the worker); no file means no segments.</summary>
    public string File { get; set; } = Path.Combine(AppContext.BaseDirectory, "segments.yaml");

    /// <summary>How often the file is checked for changes (default 2 s).</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(2);
}
