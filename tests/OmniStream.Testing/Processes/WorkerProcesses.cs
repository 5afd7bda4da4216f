using OmniStream.Streaming.Hosting;
using OmniStream.Testing.Http;

namespace OmniStream.Testing.Processes;

/// <summary>Starts the real worker executable (<c>OmniStream.Worker.dll</c> next to the test assembly) as an instance of an application.</summary>
public static class WorkerProcesses
{
    /// <summary>
    /// A worker instance named <paramref name="instanceId"/>, its working directory (and state)
    /// under <paramref name="directory"/>, its API on a free port of 127.0.0.1, accepting the test
    /// credentials (unless <paramref name="withTestCredentials"/> is false), with <paramref name="settings"/> on top.
    /// </summary>
    public static (ServiceProcess Process, Uri Api) Start(string instanceId, string directory, IReadOnlyDictionary<string, string> settings, bool withTestCredentials = true)
    {
        var api = LoopbackPort.FreeUrl();
        var all = new Dictionary<string, string>(withTestCredentials ? TestCredentials.Settings : new Dictionary<string, string>())
        {
            ["OmniStream:Stream:InstanceId"] = instanceId,
            ["OmniStream:Stream:StateDirectory"] = Path.Combine(directory, "state"),
            ["OmniStream:Api:Url"] = api,
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        return (ServiceProcess.Start(instanceId, "OmniStream.Worker.dll", directory, all), new Uri(api));
    }
}
