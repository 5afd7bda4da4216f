namespace OmniStream.Streaming.State;

/// <summary>Names of the runtime's internal topics.</summary>
public static class ChangelogTopics
{
    /// <summary>The compacted changelog of a store: <c>&lt;app&gt;-&lt;store&gt;-changelog</c>.</summary>
    public static string For(string applicationId, string storeName) => $"{applicationId}-{storeName}-changelog";
}
