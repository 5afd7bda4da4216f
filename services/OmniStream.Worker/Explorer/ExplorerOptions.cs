using System.ComponentModel.DataAnnotations;

namespace OmniStream.Worker.Explorer;

/// <summary>The customer explorer (<c>/explorer</c>). Section <c>OmniStream:Explorer</c>.</summary>
public sealed class ExplorerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OmniStream:Explorer";

    /// <summary>The longest a browser session lasts (default 8 h); never longer than the token it was opened with.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "OmniStream:Explorer:SessionLifetime must be between 1 minute and 7 days")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}
