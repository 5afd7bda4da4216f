namespace OmniStream.Kafka.Operations.DeadLetters;

/// <summary>Headers a dead letter carries besides the original record's own.</summary>
public static class DeadLetterHeaders
{
    /// <summary>The topic the record was read from.</summary>
    public const string SourceTopic = "omnistream.dlq.source-topic";

    /// <summary>Its partition (decimal text).</summary>
    public const string SourcePartition = "omnistream.dlq.source-partition";

    /// <summary>Its offset (decimal text).</summary>
    public const string SourceOffset = "omnistream.dlq.source-offset";

    /// <summary>The full name of the exception's type.</summary>
    public const string ErrorClass = "omnistream.dlq.error-class";

    /// <summary>The exception's message.</summary>
    public const string ErrorMessage = "omnistream.dlq.error-message";

    /// <summary>The application that set the record aside.</summary>
    public const string Application = "omnistream.dlq.application";

    /// <summary>When it was set aside (ISO 8601, UTC).</summary>
    public const string FailedAt = "omnistream.dlq.failed-at";
}
