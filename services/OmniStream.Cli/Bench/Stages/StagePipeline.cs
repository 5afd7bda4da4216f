using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OmniStream.Channels.Topics;
using OmniStream.Channels.Tracing;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.State;
using OmniStream.Streaming.TestDriver;
using OmniStream.Worker.Hosting;

namespace OmniStream.Cli.Bench.Stages;

/// <summary>
/// The worker's four stages on the stage test driver, fed the bench's events at a simulated pace
/// (<see cref="StageBenchSettings.EventsPerSecond"/>), with no broker: every 10 ms of event time the
/// channels publish that slot's events and each stage reads what it can and runs its timers; every
/// 100 ms each stage commits (a stage reads what the one before committed). Each stage's work can
/// be measured apart (<see cref="StageMeter"/>): handling, timers and its share of the commits.
/// Publishing (the channel backends' Avro encoding) is not measured.
/// </summary>
internal sealed class StagePipeline : IDisposable
{
    private const string ApplicationId = "omnistream-stage-bench";
    private const int TicksPerCommit = 10;
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(10);
    private static readonly int EventsPerTick = (int)(StageBenchSettings.EventsPerSecond * TickInterval.TotalSeconds);
    private static readonly TimeSpan EventSpacing = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / StageBenchSettings.EventsPerSecond);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "omnistream-stage-bench-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services;
    private readonly StageTestDriver _driver;
    private readonly BenchTraffic _traffic;
    private readonly AvroSerde<InteractionEvent> _serde = new(SchemaCatalog.Default);
    private long _nextEvent;
    private long _ticks;

    public StagePipeline(StageBenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var policies = BenchPolicy.Write(_directory, TimeSpan.FromMilliseconds(1));
        var configuration = new Dictionary<string, string?>
        {
            ["OmniStream:Stream:ApplicationId"] = ApplicationId,
            ["OmniStream:Policies:File"] = policies,
        };
        if (settings.CacheBytes is { } cacheBytes)
        {
            configuration["OmniStream:Customers:StateCacheBytes"] = cacheBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        _services = WorkerStages.Build(configuration, _clock);
        var options = new StageTestDriverOptions { ApplicationId = ApplicationId, Partitions = settings.Partitions, KeepRecords = false };
        if (settings.Store == "rocksdb")
        {
            options = new StageTestDriverOptions
            {
                ApplicationId = ApplicationId,
                Partitions = settings.Partitions,
                KeepRecords = false,
                Stores = (store, partition) => RocksDbStore.Open(store, Path.Combine(_directory, "stores", $"{store}-{partition}-{Guid.NewGuid():N}")),
            };
        }
        _driver = new StageTestDriver(_services.GetRequiredService<WorkerStages>().All, _clock, options);
        _traffic = new BenchTraffic(settings.Customers);
    }

    /// <summary>The memory the customers stage keeps states in, with its hits and misses.</summary>
    public CacheBudget CustomerCache => _services.GetRequiredService<WorkerStages>().Customers.Cache;

    /// <summary>The stages, in order.</summary>
    public static IReadOnlyList<string> Stages => WorkerStages.Kinds;

    /// <summary>Publishes <paramref name="events"/> events slot by slot and lets every stage work on them; each stage's work goes to its meter, if given.</summary>
    public async Task RunAsync(long events, IReadOnlyDictionary<string, StageMeter>? meters = null)
    {
        for (var published = 0L; published < events; published += EventsPerTick)
        {
            PublishSlot(_clock.GetUtcNow().UtcDateTime);
            _clock.Advance(TickInterval);
            var commit = ++_ticks % TicksPerCommit == 0;
            foreach (var stage in Stages)
            {
                await Measured(meters, stage, () => StepAsync(stage, commit)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Publishes the next <paramref name="events"/> events (whole slots) with the times of the slots
    /// to come, without moving the clock: a stage later paced through those slots
    /// (<see cref="PaceAsync"/>) finds them waiting.
    /// </summary>
    public void Publish(long events)
    {
        var slot = _clock.GetUtcNow().UtcDateTime;
        for (var published = 0L; published < events; published += EventsPerTick, slot += TickInterval)
        {
            PublishSlot(slot);
        }
    }

    /// <summary>Lets <paramref name="stage"/> read all it can, run its timers and commit, without moving the clock.</summary>
    public Task<(int Handled, long Written)> DrainAsync(string stage) => StepAsync(stage, commit: true);

    /// <summary>
    /// Moves the clock through the slots of <paramref name="events"/> events: at each slot
    /// <paramref name="stage"/> reads its share of what waits in its input (spread evenly over the
    /// slots, as it would have come), runs its timers, and commits every tenth slot, as in
    /// <see cref="RunAsync"/>.
    /// </summary>
    public async Task PaceAsync(string stage, long events)
    {
        var slots = (int)Math.Ceiling(events / (double)EventsPerTick);
        var perSlot = (int)Math.Max(1, Math.Ceiling(_driver.Unread(stage) / (double)slots));
        for (var slot = 0; slot < slots; slot++)
        {
            _clock.Advance(TickInterval);
            await StepAsync(stage, ++_ticks % TicksPerCommit == 0, perSlot).ConfigureAwait(false);
        }
    }

    private async Task<(int Handled, long Written)> StepAsync(string stage, bool commit, int max = int.MaxValue)
    {
        var written = _driver.RecordsWritten(stage);
        var handled = await _driver.ProcessAsync(stage, max).ConfigureAwait(false);
        await _driver.TickAsync(stage).ConfigureAwait(false);
        if (commit)
        {
            _driver.Commit(stage);
        }
        return (handled, _driver.RecordsWritten(stage) - written);
    }

    private void PublishSlot(DateTime slot)
    {
        for (var i = 0; i < EventsPerTick; i++)
        {
            Publish(slot + (i * EventSpacing));
        }
    }

    public void Dispose()
    {
        _driver.Dispose();
        _services.Dispose();
        RocksDbStore.Wipe(_directory);
    }

    private static Task Measured(IReadOnlyDictionary<string, StageMeter>? meters, string stage, Func<Task<(int Handled, long Written)>> work) =>
        meters is not null && meters.TryGetValue(stage, out var meter) ? meter.MeasureAsync(work) : work();

    // As a channel backend publishes through the SDK: ids, receipt time, trace context, Avro, keyed by subject.
    private void Publish(DateTime at)
    {
        var index = _nextEvent++;
        var interaction = _traffic.Event(index, at);
        interaction.receivedAt = at;
        interaction.traceParent = $"00-{index:x32}-{index:x16}-01";
        var topic = TopicCatalog.Interactions(interaction.channel).Name;
        var value = _serde.SerializeAsync(interaction, topic).AsTask().GetAwaiter().GetResult();
        _driver.Pipe(topic, Encoding.UTF8.GetBytes(interaction.subject.Key), value, TraceHeaders.With(interaction.traceParent), at);
    }
}
