using OmniStream.Decisions.Policies;

namespace OmniStream.Worker.Definitions;

/// <summary>The policies shipped with the worker (<c>policies.yaml</c>), and copies with a shorter cart idle time for demos and tests.</summary>
public static class ShippedPolicies
{
    /// <summary>The moment of a cart left idle.</summary>
    public const string CartIdleMoment = "cart_idle";

    /// <summary>The shipped file, next to the worker.</summary>
    public static string File { get; } = Path.Combine(AppContext.BaseDirectory, "policies.yaml");

    /// <summary>Writes the shipped policies, with carts reminded after <paramref name="cartIdle"/>, into <paramref name="directory"/>; returns the file's path.</summary>
    public static string WriteWithCartIdle(string directory, TimeSpan cartIdle)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "policies.yaml");
        System.IO.File.WriteAllText(path, PolicyFile.WithDelay(System.IO.File.ReadAllText(File), CartIdleMoment, cartIdle));
        return path;
    }
}
