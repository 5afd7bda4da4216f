using OmniStream.Streaming.Hosting;
using OmniStream.Worker.Hosting;
using System.Collections.Concurrent;
using System.Diagnostics;

namespace OmniStream.Chaos.Tests;

/// <summary>
/// The real worker executable in a child process, configured through environment variables as in
/// a container, with its log kept for the failure report. It can be killed with SIGKILL.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private const int KeptLogLines = 200;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private WorkerProcess(string instanceId, Process process)
    {
        InstanceId = instanceId;
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string InstanceId { get; }

    public bool HasExited => _process.HasExited;

    public string LogTail => string.Join('\n', _log);

    public static WorkerProcess Start(string instanceId, string workingDirectory, IReadOnlyDictionary<string, string> settings)
    {
        Directory.CreateDirectory(workingDirectory);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OmniStream.Worker.dll"));
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        start.Environment["OmniStream__Stream__InstanceId"] = instanceId;
        start.Environment["OmniStream__Api__Url"] = LoopbackPort.FreeUrl();
        return new WorkerProcess(instanceId, Process.Start(start)!);
    }

    /// <summary>SIGKILL: no commit, no leaving the group, open transaction left behind.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as an orchestrator stops a container: the worker commits and leaves its groups.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _log.Enqueue(line);
        while (_log.Count > KeptLogLines)
        {
            _log.TryDequeue(out _);
        }
    }
}
