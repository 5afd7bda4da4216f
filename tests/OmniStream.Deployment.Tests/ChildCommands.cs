using System.Diagnostics;

namespace OmniStream.Deployment.Tests;

/// <summary>Runs a command to its end (dotnet pack, a build, an installed tool) and returns its exit code and output.</summary>
internal static class ChildCommands
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    /// <summary>The configuration this test assembly was built in (bin/&lt;configuration&gt;/net10.0), for <c>--no-build</c> packing.</summary>
    public static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    /// <summary>A package version of its own, so that no package cached from an earlier run stands in for this build's.</summary>
    public static string FreshVersion() => $"0.9.0-ci.{DateTime.UtcNow:yyyyMMddHHmmss}{Random.Shared.Next(100, 999)}";

    /// <summary>Runs the command and fails the test unless it exits 0.</summary>
    public static async Task<string> SucceedAsync(string file, string directory, params string[] arguments)
        => await SucceedAsync(file, directory, new Dictionary<string, string>(), arguments);

    /// <summary>Runs the command with <paramref name="environment"/> added, and fails the test unless it exits 0.</summary>
    public static async Task<string> SucceedAsync(string file, string directory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var (code, output, errors) = await RunAsync(file, directory, environment, arguments);
        Assert.That(code, Is.Zero, $"{file} {string.Join(' ', arguments)}\n{output}\n{errors}");
        return output;
    }

    /// <summary>Runs the command; its exit code, standard output and standard error.</summary>
    public static async Task<(int Code, string Output, string Errors)> RunAsync(
        string file, string directory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new AssertionException($"{file} {string.Join(' ', arguments)} did not end within {Deadline.TotalMinutes} minutes");
        }
        return (process.ExitCode, await output, await errors);
    }
}
