namespace OmniStream.Worker.Customers;

/// <summary>An event later than the lateness bound: it is not folded, and goes to the dead-letter topic with this reason.</summary>
public sealed class LateEventException : Exception
{
    /// <summary>Describes the refused event.</summary>
    public LateEventException(Guid eventId, DateTime occurredAt, DateTime newestEventAt, TimeSpan lateness)
        : base($"event {eventId} occurred at {occurredAt:O}, more than the lateness bound ({lateness}) before the customer's newest event ({newestEventAt:O}); " +
               "it was not folded (OmniStream:Customers:Lateness)")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LateEventException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public LateEventException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public LateEventException()
    {
    }
}
