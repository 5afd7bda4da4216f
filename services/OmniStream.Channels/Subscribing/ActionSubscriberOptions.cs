using System.ComponentModel.DataAnnotations;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Channels.Subscribing;

/// <summary>Which actions a channel backend receives. Section <c>OmniStream:Actions</c>.</summary>
public sealed class ActionSubscriberOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OmniStream:Actions";

    /// <summary>The consumer group of the backend; instances of one backend share it.</summary>
    [Required(ErrorMessage = "OmniStream:Actions:GroupId is required")]
    public string GroupId { get; set; } = "";

    /// <summary>The channels whose actions to receive.</summary>
    [MinLength(1, ErrorMessage = "OmniStream:Actions:Channels must name at least one channel")]
    public IReadOnlyList<Channel> Channels { get; set; } = [];
}
