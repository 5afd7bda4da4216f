namespace OmniStream.Worker.Tests;

/// <summary>A definitions file (segments, policies) in the temp directory, rewritten as an editor would save it; deleted on dispose.</summary>
internal sealed class TemporaryDefinitionFile : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"definitions-{Guid.NewGuid():N}.yaml");

    /// <summary>Writes <paramref name="yaml"/> with a modification time of its own (<paramref name="version"/>).</summary>
    public void Write(string yaml, int version)
    {
        File.WriteAllText(Path, yaml);
        File.SetLastWriteTimeUtc(Path, new DateTime(2026, 1, 1, 0, 0, version, DateTimeKind.Utc));
    }

    public void Dispose() => File.Delete(Path);
}
