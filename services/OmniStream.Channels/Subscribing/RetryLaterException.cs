namespace OmniStream.Channels.Subscribing;

/// <summary>
/// Thrown by an <see cref="ActionSubscriber"/>'s handler when an action cannot be handled now through no fault of
/// its own (the service it goes to is down): the subscriber reads the same action again after <see cref="After"/>
/// (at most 10 s at a time, so that its consumer keeps polling), and skips none.
/// </summary>
public sealed class RetryLaterException(string message, TimeSpan after, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>How long to wait before trying again.</summary>
    public TimeSpan After => after;
}
