using Microsoft.Extensions.Diagnostics.HealthChecks;
using OmniStream.Streaming.Tasks;

namespace OmniStream.Worker.Api;

/// <summary>The worker's health check (ASP.NET Core health checks): healthy when every stage's loop runs; each stage's figures in its data.</summary>
public sealed class StagesHealthCheck(IEnumerable<StreamEngine> engines) : IHealthCheck
{
    /// <summary>The check's name in the health report.</summary>
    public const string Name = "stages";

    /// <summary>The key of the <see cref="WorkerHealth"/> in the check's data.</summary>
    public const string HealthKey = "health";

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = WorkerHealth.Of([.. engines.Select(StageHealth.Of)]);
        var data = new Dictionary<string, object> { [HealthKey] = health };
        return Task.FromResult(health.IsUp
            ? HealthCheckResult.Healthy("every stage runs", data)
            : HealthCheckResult.Unhealthy("a stage is starting, stopped or failed", data: data));
    }
}
