using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.Channels.Tracing;
using OmniStream.Customers.Kpis;
using OmniStream.Customers.State;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.ServiceDefaults.Privacy;
using OmniStream.Streaming.State;
using OmniStream.Streaming.TestDriver;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Http;
using OmniStream.Testing.Logging;
using OmniStream.Worker.Api;
using OmniStream.Worker.Customers;
using OmniStream.Worker.Definitions;
using OmniStream.Worker.Hosting;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Tests.Driven;

/// <summary>
/// The worker's four stages on the stage test driver, no broker: events go in as a channel backend's
/// SDK publishes them (validated, completed, Avro, keyed by subject), every stage reads, runs its
/// timers and commits until nothing is left, and the test reads what a user of the worker would:
/// the actions topics, the 360° view and the export as the API renders them, KPI cells, segment
/// changes, profiles, changelogs. The clock only moves when the test moves it.
/// </summary>
internal sealed class DrivenWorker : IDisposable
{
    /// <summary>A Monday, 10:00 UTC: where the clock starts unless a test says otherwise.</summary>
    public static readonly DateTime Start = new(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc);

    public const string ApplicationId = "driven-worker";

    // As the API writes JSON (ASP.NET Core's web defaults, enums by name).
    private static readonly JsonSerializerOptions ApiJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private static readonly AvroSerde<InteractionEvent> Interactions = new(SchemaCatalog.Default);
    private static readonly AvroSerde<ActionOutcome> Outcomes = new(SchemaCatalog.Default);
    private static readonly AvroSerde<NextBestAction> Actions = new(SchemaCatalog.Default);
    private static readonly AvroSerde<SegmentChange> SegmentChanges = new(SchemaCatalog.Default);
    private static readonly AvroSerde<ErasureNotice> Notices = new(SchemaCatalog.Default);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "omnistream-driven-" + Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider _services;

    private DrivenWorker(TimeSpan cartIdleTime, Func<string, string>? editPolicies, DateTime start, IReadOnlyDictionary<string, string?>? settings)
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(start));
        var policies = ShippedPolicies.WriteWithCartIdle(Path.Combine(_directory, "policies"), cartIdleTime);
        if (editPolicies is not null)
        {
            File.WriteAllText(policies, editPolicies(File.ReadAllText(policies)));
        }
        var all = new Dictionary<string, string?>
        {
            ["OmniStream:Stream:ApplicationId"] = ApplicationId,
            ["OmniStream:Policies:File"] = policies,
            [Pseudonyms.KeySetting] = TestCredentials.PseudonymKey,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        _services = WorkerStages.Build(all, Clock, logging => logging.AddProvider(Logs));
        Driver = new StageTestDriver(_services.GetRequiredService<WorkerStages>().All, Clock,
            new StageTestDriverOptions { ApplicationId = ApplicationId, Partitions = TopicCatalog.DefaultPartitions });
    }

    /// <summary>The stages on a clock at <paramref name="start"/> (default <see cref="Start"/>), running the shipped policies with cart reminders after <paramref name="cartIdleTime"/> (edited by <paramref name="editPolicies"/>, if given).</summary>
    public static DrivenWorker Create(TimeSpan cartIdleTime, Func<string, string>? editPolicies = null, DateTime? start = null,
        IReadOnlyDictionary<string, string?>? settings = null) =>
        new(cartIdleTime, editPolicies, start ?? Start, settings);

    public FakeTimeProvider Clock { get; }

    /// <summary>What the stages logged.</summary>
    public CapturedLogs Logs { get; } = new();

    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    public StageTestDriver Driver { get; }

    /// <summary>The worker's services (options, handlers).</summary>
    public IServiceProvider Services => _services;

    /// <summary>Publishes <paramref name="interaction"/> as the channel SDK does, then lets every stage work.</summary>
    public async Task PublishAsync(InteractionEvent interaction)
    {
        Pipe(interaction);
        await Driver.RunAsync();
    }

    /// <summary>Publishes <paramref name="interactions"/> one after the other, as a backend that sends them together, then lets every stage work.</summary>
    public async Task PublishAllAsync(params InteractionEvent[] interactions)
    {
        foreach (var interaction in interactions)
        {
            Pipe(interaction);
        }
        await Driver.RunAsync();
    }

    /// <summary>
    /// Publishes <paramref name="customer"/>'s marketing consent for the web, the app and email, as
    /// events of channel <paramref name="on"/>.
    /// </summary>
    public async Task GrantMarketingAsync(Interactions customer, Channel on = Channel.WEB)
    {
        foreach (var channel in new[] { Channel.WEB, Channel.MOBILE_APP, Channel.EMAIL })
        {
            Pipe(customer.ConsentChanged(on, Purpose.MARKETING, channel, granted: true));
        }
        await Driver.RunAsync();
    }

    /// <summary>Reports <paramref name="outcome"/> of <paramref name="action"/> now, as the channel SDK's outcome reporter does, then lets every stage work.</summary>
    public async Task ReportAsync(NextBestAction action, Outcome outcome, decimal? value = null)
    {
        var report = OutcomeReporter.Of(action, outcome, Now, value);
        var topic = TopicCatalog.ActionOutcomes.Name;
        Driver.Pipe(topic, Encoding.UTF8.GetBytes(report.customerId), await Outcomes.SerializeAsync(report, topic), timestamp: report.occurredAt);
        await Driver.RunAsync();
    }

    /// <summary>Moves the clock by <paramref name="by"/> (in steps of <paramref name="step"/>), the stages working after each step.</summary>
    public Task AdvanceAsync(TimeSpan by, TimeSpan? step = null) => Driver.AdvanceAsync(by, step);

    /// <summary>The customer's state as the owner holds it (committed), or null.</summary>
    public CustomerState? State(string customerId)
    {
        var key = Encoding.UTF8.GetBytes(customerId);
        var (core, parts) = Driver.GetWithParts(WorkerTopology.CustomersStore, key);
        return core is null ? null : StoredCustomers.Read(key, core, parts);
    }

    /// <summary><c>GET /customers/{id}</c>'s body, or null where the API answers 404.</summary>
    public JsonElement? View(string customerId) =>
        State(customerId) is { } state ? JsonSerializer.SerializeToElement(CustomerView.Of(state, Now, Services.GetRequiredService<FoldOptions>()), ApiJson) : null;

    /// <summary>The customer's view, which must exist and meet <paramref name="holds"/> (<paramref name="what"/> says what it waits for).</summary>
    public JsonElement ViewWhere(string customerId, Func<JsonElement, bool> holds, string what)
    {
        var view = View(customerId) ?? throw new AssertionException($"{what}: customer '{customerId}' is not known");
        return holds(view) ? view : throw new AssertionException($"{what}: not in the view {view}");
    }

    /// <summary><c>GET /customers/{id}/actions</c>'s body, or null where the API answers 404.</summary>
    public JsonElement? ActionHistory(string customerId) =>
        State(customerId) is { } state ? JsonSerializer.SerializeToElement(state.Actions, ApiJson) : null;

    /// <summary><c>GET /privacy/export/{id}</c>'s body, or null where the API answers 404.</summary>
    public JsonElement? Export(string customerId) =>
        State(customerId) is { } state ? JsonDocument.Parse(CustomerExport.Json(state)).RootElement.Clone() : null;

    /// <summary>The actions sent to <paramref name="customerId"/>, with the topic of each, in the order of their topics' records.</summary>
    public List<(NextBestAction Action, string Topic)> ActionsWithTopics(string customerId) =>
        [.. TopicCatalog.AllActions.SelectMany(topic => For(topic.Name, customerId).Select(r => (Decode(Actions, r.Value), topic.Name)))];

    /// <summary>The actions sent to <paramref name="customerId"/>.</summary>
    public List<NextBestAction> ActionsFor(string customerId) => [.. ActionsWithTopics(customerId).Select(a => a.Action)];

    /// <summary>The segment changes written for <paramref name="customerId"/>.</summary>
    public List<SegmentChange> SegmentChangesFor(string customerId) =>
        [.. For(TopicCatalog.SegmentChanges.Name, customerId).Select(r => Decode(SegmentChanges, r.Value))];

    /// <summary>The erasure notices written for <paramref name="customerId"/>.</summary>
    public List<ErasureNotice> NoticesFor(string customerId) =>
        [.. For(TopicCatalog.ErasureNotices.Name, customerId).Select(r => Decode(Notices, r.Value))];

    /// <summary>The records of <paramref name="topic"/> keyed <paramref name="customerId"/>, values as written (null for a tombstone).</summary>
    public List<byte[]?> ValuesFor(string topic, string customerId) => [.. For(topic, customerId).Select(r => r.Value)];

    /// <summary>
    /// The KPI cell of (MINUTE, <paramref name="minute"/>, <paramref name="scope"/>) as <c>GET /kpis</c>
    /// gives it (one element of its <c>kpis</c>), read from the kpis store; null when nothing was counted.
    /// </summary>
    public JsonElement? Kpis(DateTime minute, string scope)
    {
        foreach (var (_, key, value) in Driver.Scan(WorkerTopology.KpisStore))
        {
            if (SegmentMembers.IsKey(key))
            {
                continue;
            }
            var cell = KpiCell.Parse(Encoding.UTF8.GetString(key));
            if (cell.Window == KpiWindow.MINUTE && cell.Start == minute && cell.Scope.ToString() == scope)
            {
                return JsonSerializer.SerializeToElement(new KpiRow(cell.Window, cell.Start, scope, KpiCodec.DecodeCounts(value)), ApiJson);
            }
        }
        return null;
    }

    /// <summary>The entries and exits of <paramref name="segment"/> ever counted, summed over the kpis store's partitions (as <c>GET /kpis</c> gives its members).</summary>
    public KpiCounts SegmentMembersOf(string segment)
    {
        var counts = KpiCounts.Zero;
        foreach (var (_, key, value) in Driver.Scan(WorkerTopology.KpisStore))
        {
            if (SegmentMembers.IsKey(key) && SegmentMembers.ScopeOf(key).Value == segment)
            {
                counts = counts.Plus(KpiCodec.DecodeCounts(value));
            }
        }
        return counts;
    }

    public void Dispose()
    {
        Driver.Dispose();
        _services.Dispose();
        RocksDbStore.Wipe(_directory);
    }

    /// <summary>Publishes <paramref name="interaction"/> as the channel SDK does, without letting the stages work (drive them through <see cref="Driver"/>).</summary>
    public void Pipe(InteractionEvent interaction)
    {
        InteractionValidator.ThrowIfInvalid(interaction);
        PipeTo(TopicCatalog.Interactions(interaction.channel).Name, interaction);
    }

    /// <summary>
    /// Publishes <paramref name="interaction"/>, lets the stages before <c>kpis</c> handle and commit it, and kills stage
    /// <c>kpis</c> once it has read the counts, before it commits; returns how many records stage <c>kpis</c> read.
    /// </summary>
    public async Task<int> KillKpisBeforeCommitAsync(InteractionEvent interaction)
    {
        Pipe(interaction);
        foreach (var stage in new[] { WorkerTopology.IngestStage, WorkerTopology.IdentityStage, WorkerTopology.CustomersStage })
        {
            await Driver.ProcessAsync(stage);
            Driver.Commit(stage);
        }
        var read = await Driver.ProcessAsync(WorkerTopology.KpisStage);
        Driver.Crash(WorkerTopology.KpisStage);
        return read;
    }

    /// <summary>Publishes an erasure request as the privacy API does (on the privacy topic), then lets every stage work.</summary>
    public async Task RequestErasureAsync(InteractionEvent request)
    {
        PipeTo(TopicCatalog.PrivacyRequests.Name, request);
        await Driver.RunAsync();
    }

    private void PipeTo(string topic, InteractionEvent interaction)
    {
        if (interaction.eventId == Guid.Empty)
        {
            interaction.eventId = Guid.NewGuid();
        }
        interaction.receivedAt = Now;
        var value = Interactions.SerializeAsync(interaction, topic).AsTask().GetAwaiter().GetResult();
        Driver.Pipe(topic, Encoding.UTF8.GetBytes(interaction.subject.Key), value, TraceHeaders.With(interaction.traceParent), interaction.occurredAt);
    }

    private IEnumerable<TestRecord> For(string topic, string customerId)
    {
        var key = Encoding.UTF8.GetBytes(customerId);
        return Driver.Read(topic).Where(r => r.Key is not null && r.Key.AsSpan().SequenceEqual(key));
    }

    private static T Decode<T>(AvroSerde<T> serde, byte[]? value) where T : Avro.Specific.ISpecificRecord, IAvroBinary<T>, new() =>
        serde.DeserializeAsync(value ?? throw new AssertionException($"a tombstone where a {typeof(T).Name} was expected")).AsTask().GetAwaiter().GetResult();
}
