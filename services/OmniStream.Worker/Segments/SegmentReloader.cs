using Microsoft.Extensions.Hosting;

namespace OmniStream.Worker.Segments;

/// <summary>Checks the segment file for changes for the life of the worker.</summary>
public sealed class SegmentReloader(SegmentCatalog catalog, SegmentOptions options) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ReloadInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            catalog.ReloadIfChanged();
        }
    }
}
