using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using NUnit.Framework;

namespace OmniStream.Testing.Processes;

/// <summary>
/// One of OmniStream's real executables (worker, gateway, CLI) in a child process, configured
/// through environment variables as in a container, its output kept for assertions and failure
/// reports. Stopped with SIGTERM as an orchestrator does, or killed with SIGKILL.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private const int KeptLines = 2_000;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private ServiceProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>A name for reports (e.g. <c>worker-1</c>).</summary>
    public string Name { get; }

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether it has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Its standard output so far.</summary>
    public IReadOnlyList<string> Stdout => [.. _stdout];

    /// <summary>Its standard error so far.</summary>
    public string Stderr => string.Join('\n', _stderr);

    /// <summary>Both outputs, for a failure report.</summary>
    public string Output => $"--- {Name} stdout:\n{string.Join('\n', _stdout)}\n--- {Name} stderr:\n{Stderr}";

    /// <summary>
    /// Starts <paramref name="assembly"/> (a .dll next to the test assembly, e.g. <c>OmniStream.Worker.dll</c>)
    /// with <paramref name="arguments"/>, in <paramref name="workingDirectory"/>, with <paramref name="settings"/>
    /// as environment variables (<c>:</c> written as <c>__</c>).
    /// </summary>
    public static ServiceProcess Start(string name, string assembly, string workingDirectory, IReadOnlyDictionary<string, string>? settings = null, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        Directory.CreateDirectory(workingDirectory);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        return new ServiceProcess(name, Process.Start(start)!);
    }

    /// <summary>
    /// Starts <paramref name="file"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>, with
    /// <paramref name="environment"/> (names as written, e.g. <c>OMNISTREAM__API__URL</c>) added to this process's:
    /// for a service run as its image would run it (another user, its own application directory).
    /// </summary>
    public static ServiceProcess StartCommand(string name, string file, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        return new ServiceProcess(name, Process.Start(start)!);
    }

    /// <summary>Waits for a line of standard output that matches; fails the test at the deadline or when the process exits first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> matches, TimeSpan timeout, string what)
    {
        string? found = null;
        await Wait.UntilAsync(() => (found = _stdout.FirstOrDefault(matches)) is not null || _process.HasExited, timeout, $"{what} from {Name}").ConfigureAwait(false);
        return found ?? throw new AssertionException($"{Name} exited ({_process.ExitCode}) before {what}\n{Output}");
    }

    /// <summary>The most memory the process has held (its peak resident set, VmHWM), in bytes.</summary>
    public long PeakResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>SIGTERM, then waits for the exit; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout) => await SignalAndWaitAsync("TERM", timeout).ConfigureAwait(false);

    /// <summary>SIGINT (Ctrl+C), then waits for the exit; returns the exit code.</summary>
    public async Task<int> InterruptAsync(TimeSpan timeout) => await SignalAndWaitAsync("INT", timeout).ConfigureAwait(false);

    /// <summary>Waits for the process to end on its own; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new AssertionException($"{Name} did not exit within {timeout.TotalSeconds:0} s\n{Output}");
        }
        _process.WaitForExit(); // drains the asynchronous output readers
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no commit, no leaving groups, open transactions left behind.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>True when the output shows a native crash or an abort rather than an orderly exit.</summary>
    public bool CrashedNatively =>
        new[] { "malloc", "Aborted", "core dumped", "Segmentation fault", "SIGSEGV", "SIGABRT", "Unhandled exception", "double free" }
            .Any(mark => Stderr.Contains(mark, StringComparison.Ordinal) || _stdout.Any(l => l.Contains(mark, StringComparison.Ordinal)))
        || _process.HasExited && _process.ExitCode >= 128;

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private async Task<int> SignalAndWaitAsync(string signal, TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }
        return await WaitForExitAsync(timeout).ConfigureAwait(false);
    }

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }
        lines.Enqueue(line);
        while (lines.Count > KeptLines)
        {
            lines.TryDequeue(out _);
        }
    }
}
