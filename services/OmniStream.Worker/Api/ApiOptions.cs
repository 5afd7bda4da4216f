using System.ComponentModel.DataAnnotations;

namespace OmniStream.Worker.Api;

/// <summary>The worker's HTTP API (360° view, privacy requests). Section <c>OmniStream:Api</c>.</summary>
public sealed class ApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OmniStream:Api";

    /// <summary>
    /// Where the API listens (default <c>http://127.0.0.1:8080</c>). It is also where other instances
    /// send the requests this instance's customers answer, unless <c>OmniStream:Stream:Endpoint</c> says otherwise.
    /// </summary>
    [Required(ErrorMessage = "OmniStream:Api:Url is required (e.g. http://0.0.0.0:8080)")]
    [Url(ErrorMessage = "OmniStream:Api:Url must be an absolute http(s) URL")]
    public string Url { get; set; } = "http://127.0.0.1:8080";
}
