using System.ComponentModel.DataAnnotations;

namespace OmniStream.Worker.Ops;

/// <summary>The ops page (<c>/ops</c>). Section <c>OmniStream:Ops</c>.</summary>
public sealed class OpsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OmniStream:Ops";

    /// <summary>How often lag and rates are sampled for the page's charts (default 2 s; 15 minutes are kept).</summary>
    [Range(typeof(TimeSpan), "00:00:00.5", "00:01:00", ErrorMessage = "OmniStream:Ops:SampleInterval must be between 500 ms and 1 minute")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long another instance may take to send its view before the page shows it as not answering (default 2 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:00:30", ErrorMessage = "OmniStream:Ops:PeerTimeout must be between 100 ms and 30 s")]
    public TimeSpan PeerTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
