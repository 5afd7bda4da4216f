using OmniStream.Kafka.Operations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OmniStream.Kafka.Operations.Topics;

namespace OmniStream.ServiceDefaults.Hosting;

/// <summary>
/// Runs a service's host as an orchestrator expects: until SIGTERM or Ctrl+C (exit code 0); a
/// failure at start or during the run (a bad setting, missing topics, unreachable brokers, a stage
/// that failed) stops the host, which closes its Kafka clients and stores, then ends the process
/// with one line on standard error naming the cause and a non-zero exit code.
/// </summary>
public static partial class ServiceHost
{
    /// <summary>Exit code of a service that failed while running (e.g. a stage failed, brokers unreachable).</summary>
    public const int Failed = 1;

    /// <summary>Exit code of a service that could not start as configured (a bad setting, missing topics).</summary>
    public const int Misconfigured = 2;

    /// <summary>Builds and runs the host; returns the process exit code.</summary>
    /// <param name="name">The service's name, which starts the failure line (e.g. <c>omnistream-worker</c>).</param>
    /// <param name="build">Builds the host (a bad setting may already throw here).</param>
    public static async Task<int> RunAsync(string name, Func<IHost> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        try
        {
            // RunAsync disposes the host, hence its clients, whether it stops on request or on a failure.
            await build().RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (Exception error)
        {
            var cause = Cause(error);
            await Console.Error.WriteLineAsync($"{name}: stopped: {Describe(cause)}").ConfigureAwait(false);
            return IsMisconfiguration(cause) ? Misconfigured : Failed;
        }
    }

    /// <summary>True for failures the configuration must fix: a setting that does not validate or convert, missing topics or topics that differ.</summary>
    public static bool IsMisconfiguration(Exception error) =>
        error is OptionsValidationException or MissingTopicsException or TopicsDifferException
        || error is InvalidOperationException { Source: "Microsoft.Extensions.Configuration.Binder" }
        || error is StageFailedException { InnerException: MissingTopicsException or TopicsDifferException };

    /// <summary>The innermost exception that says what went wrong (aggregates and wrappers unwrapped).</summary>
    public static Exception Cause(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        while (error is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && error.InnerException is { } inner)
        {
            error = inner;
        }
        return error;
    }

    // Data annotations wrap the message that names the setting: "... members: 'X' with the error: 'message'."
    private static string SettingError(string failure) =>
        DataAnnotationFailure().Match(failure) is { Success: true } match ? match.Groups["message"].Value : failure;

    [System.Text.RegularExpressions.GeneratedRegex("with the error: '(?<message>.*)'\\.?$")]
    private static partial System.Text.RegularExpressions.Regex DataAnnotationFailure();

    /// <summary>One line: the message, and the exception's type when the message alone could be unclear.</summary>
    public static string Describe(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var message = error is OptionsValidationException invalid
            ? string.Join("; ", invalid.Failures.Select(SettingError))
            : error.Message.ReplaceLineEndings(" ");
        return error is OptionsValidationException or MissingTopicsException or TopicsDifferException or InvalidOperationException or StageFailedException
            ? message : $"{error.GetType().Name}: {message}";
    }
}
