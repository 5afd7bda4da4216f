using Microsoft.Extensions.Hosting;

namespace OmniStream.Worker.Definitions;

/// <summary>Checks every definitions file (segments, policies) for changes for the life of the worker.</summary>
public sealed class DefinitionReloader(IEnumerable<IDefinitionCatalog> catalogs) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var all = catalogs.ToList();
        using var timer = new PeriodicTimer(all.Select(c => c.ReloadInterval).DefaultIfEmpty(TimeSpan.FromSeconds(2)).Min());
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            all.ForEach(c => c.ReloadIfChanged());
        }
    }
}
