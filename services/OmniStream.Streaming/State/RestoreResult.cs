namespace OmniStream.Streaming.State;

/// <summary>What a restore did.</summary>
/// <param name="Records">Changelog records applied.</param>
/// <param name="From">The changelog offset it started from.</param>
/// <param name="To">The changelog offset it reached (the new checkpoint).</param>
/// <param name="Rebuilt">True when the local store was wiped and rebuilt from the start of the changelog.</param>
/// <param name="Reason">Why it was rebuilt, when it was.</param>
/// <param name="LostBefore">When the changelog had lost its head past the store's checkpoint: its first offset (the keys last written before it are missing).</param>
public sealed record RestoreResult(long Records, long From, long To, bool Rebuilt, string? Reason, long? LostBefore = null);
