using System.ComponentModel.DataAnnotations;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.CartReminders;

/// <summary>When and where to remind a customer of a cart left open. Section <c>OmniStream:CartReminder</c>.</summary>
public sealed class CartReminderOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OmniStream:CartReminder";

    /// <summary>How long a cart stays untouched and unordered before a reminder (default 30 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "30.00:00:00", ErrorMessage = "OmniStream:CartReminder:IdleTime must be between 1 ms and 30 days")]
    public TimeSpan IdleTime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long the channel may still act on the reminder (default 24 hours).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "OmniStream:CartReminder:Expiry must be between 1 s and 30 days")]
    public TimeSpan Expiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Channels that can show a cart reminder; the customer's last channel is used when it is one of them.</summary>
    public IReadOnlyList<Channel> DeliverableChannels { get; set; } = [Channel.WEB, Channel.MOBILE_APP, Channel.EMAIL];

    /// <summary>Where to remind when the last channel cannot (a store visit, a call).</summary>
    public Channel FallbackChannel { get; set; } = Channel.EMAIL;
}
