namespace OmniStream.Testing;

/// <summary>The repository the tests run from, for tests that read its files (sources, scripts, deployment files).</summary>
public static class Repository
{
    /// <summary>The directory holding <c>OmniStream.sln</c>, above the test assembly.</summary>
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OmniStream.sln")))
            {
                directory = directory.Parent;
            }
            return directory?.FullName ?? throw new InvalidOperationException($"no OmniStream.sln above {AppContext.BaseDirectory}");
        }
    }
}
