using System.Diagnostics;

namespace OmniStream.Cli.Tests;

/// <summary>The real <c>omnistream</c> executable in a child process, its output collected line by line.</summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];

    private CliProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Add(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static CliProcess Start(params string[] arguments) => Start(new Dictionary<string, string>(), arguments);

    /// <summary>Starts the CLI with <paramref name="environment"/> added to this process's.</summary>
    public static CliProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "omnistream.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return new CliProcess(Process.Start(start)!);
    }

    public IReadOnlyList<string> Stdout => Snapshot(_stdout);

    public string Stderr => string.Join('\n', Snapshot(_stderr));

    /// <summary>Waits for a line of standard output that matches; fails the test at the deadline.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> matches, TimeSpan timeout, string what)
    {
        string? found = null;
        await Testing.Wait.UntilAsync(() => (found = Stdout.FirstOrDefault(matches)) is not null || _process.HasExited, timeout, what);
        return found ?? throw new AssertionException($"the process exited ({_process.ExitCode}) before {what}; stderr: {Stderr}");
    }

    /// <summary>Sends SIGINT, as Ctrl+C does.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        _process.WaitForExit(); // drains the asynchronous output readers
        return _process.ExitCode;
    }

    /// <summary>Waits for the command to exit 0 having printed one line, its JSON object, and returns that object.</summary>
    public async Task<System.Text.Json.JsonElement> JsonResultAsync(TimeSpan timeout)
    {
        var exitCode = await WaitForExitAsync(timeout);
        Assert.That(exitCode, Is.Zero, Stderr);
        Assert.That(Stdout, Has.Count.EqualTo(1), "stdout holds the JSON object only");
        return System.Text.Json.JsonDocument.Parse(Stdout[0]).RootElement;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    private static void Add(List<string> lines, string? line)
    {
        if (line is not null)
        {
            lock (lines)
            {
                lines.Add(line);
            }
        }
    }

    private static List<string> Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }
}
