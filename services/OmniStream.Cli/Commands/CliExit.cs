using OmniStream.ServiceDefaults.Hosting;

namespace OmniStream.Cli.Commands;

/// <summary>
/// What <c>omnistream</c>'s exit code says: 0 done; 1 a failure (brokers out of reach, an error while running);
/// 2 a usage or configuration problem (the message names the option or setting); 3 the command ran and its check did
/// not pass (a lag over <c>--max-lag-seconds</c>, a topic that differs from its definition, a bench that missed
/// actions), for scripts that must tell "broken" from "behind".
/// </summary>
internal static class CliExit
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>A failure while running.</summary>
    public const int Failed = ServiceHost.Failed;

    /// <summary>A usage or configuration problem.</summary>
    public const int Usage = ServiceHost.Misconfigured;

    /// <summary>The command ran; its check did not pass.</summary>
    public const int CheckFailed = 3;
}
