namespace OmniStream.Streaming.Tasks;

/// <summary>
/// A record could not be handled because a service the handler needs (the Schema Registry) did not
/// answer, even after the transient retries: the record is not at fault, so it is not set aside; the
/// stage pauses and replays its transaction once the service answers.
/// </summary>
public sealed class DependencyUnavailableException(string message, Exception inner) : Exception(message, inner);
