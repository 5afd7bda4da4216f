namespace OmniStream.Streaming.State;

/// <summary>How far a restore has come.</summary>
/// <param name="Applied">Changelog records replayed so far.</param>
/// <param name="Remaining">Changelog offsets still to read (records, plus transaction markers).</param>
public readonly record struct RestoreProgress(long Applied, long Remaining);
