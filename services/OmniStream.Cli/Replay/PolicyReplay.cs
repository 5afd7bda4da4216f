using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OmniStream.Channels.Topics;
using OmniStream.Channels.Tracing;
using OmniStream.Decisions.Engine;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.TestDriver;
using OmniStream.Worker.Decisions;
using OmniStream.Worker.Hosting;

namespace OmniStream.Cli.Replay;

/// <summary>
/// A dry run of policies against recorded events: the worker's four stages on the stage test driver (no broker, nothing
/// sent anywhere), their clock at each event's time in turn, so that timers (reminders, quiet hours) fire as they would
/// have; every decision is kept, the silent ones with their reasons.
/// </summary>
internal sealed class PolicyReplay : IDisposable, IDecisionObserver
{
    private const string ApplicationId = "omnistream-policy-replay";
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(1);
    private static readonly AvroSerde<InteractionEvent> Serde = new(SchemaCatalog.Default);

    private readonly ServiceProvider _services;
    private readonly StageTestDriver _driver;
    private readonly List<ReplayedDecision> _decisions = [];

    /// <summary>The stages with the policies of <paramref name="policiesFile"/> (and the segments of <paramref name="segmentsFile"/>, else the shipped ones), their clock at <paramref name="start"/>.</summary>
    public PolicyReplay(string policiesFile, string? segmentsFile, DateTime start)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(start));
        var settings = new Dictionary<string, string?>
        {
            ["OmniStream:Stream:ApplicationId"] = ApplicationId,
            ["OmniStream:Policies:File"] = policiesFile,
            ["OmniStream:Policies:ReloadInterval"] = "1.00:00:00",
            ["OmniStream:Segments:ReloadInterval"] = "1.00:00:00",
        };
        if (segmentsFile is not null)
        {
            settings["OmniStream:Segments:File"] = segmentsFile;
        }
        _services = WorkerStages.Build(settings, clock, add: services => services.AddSingleton<IDecisionObserver>(this));
        _driver = new StageTestDriver(_services.GetRequiredService<WorkerStages>().All, clock,
            new StageTestDriverOptions { ApplicationId = ApplicationId, Partitions = 1 });
    }

    /// <summary>Every decision made so far, in the order made.</summary>
    public IReadOnlyList<ReplayedDecision> Decisions => _decisions;

    /// <summary>
    /// Publishes each event at its time (the clock moving there in steps of a minute, the stages working after each),
    /// then lets <paramref name="after"/> pass, so that what the last events set waiting comes due.
    /// </summary>
    public async Task RunAsync(IReadOnlyList<InteractionEvent> events, TimeSpan after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var interaction in events)
        {
            if (interaction.occurredAt > _driver.Now)
            {
                await _driver.AdvanceAsync(interaction.occurredAt - _driver.Now, Step, cancellationToken).ConfigureAwait(false);
            }
            interaction.receivedAt = _driver.Now;
            var topic = TopicCatalog.Interactions(interaction.channel).Name;
            _driver.Pipe(topic, Encoding.UTF8.GetBytes(interaction.subject.Key), await Serde.SerializeAsync(interaction, topic, cancellationToken).ConfigureAwait(false),
                TraceHeaders.With(interaction.traceParent), interaction.occurredAt);
            await _driver.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        await _driver.AdvanceAsync(after, Step, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Decided(string customerId, Decision decision, DateTime now) => _decisions.Add(new ReplayedDecision(now, customerId, decision));

    /// <inheritdoc />
    public void Dispose()
    {
        _driver.Dispose();
        _services.Dispose();
    }
}

/// <summary>
/// A decision of the replay: when, for whom, what became of the moment and why, copied when it is made (the engine reuses
/// its decisions' objects from one record to the next).
/// </summary>
internal sealed record ReplayedDecision(DateTime At, string CustomerId, string Moment, DecisionKind Kind, ActionType? ActionType, Channel? Channel,
    IReadOnlyList<string> ReasonCodes, IReadOnlyList<string> RulesFired, string? Variant, DateTime? DeferredUntil, IReadOnlyList<string> Refusals)
{
    public ReplayedDecision(DateTime at, string customerId, Decision decision)
        : this(at, customerId, decision.Moment, decision.Kind, decision.Action?.actionType ?? decision.Record?.Type, decision.Action?.channel ?? decision.Record?.Channel,
            [.. decision.Action?.reasonCodes ?? []], [.. decision.Action?.rulesFired ?? []], decision.Record?.Variant, decision.DeferredUntil, [.. decision.Refusals])
    {
    }

    /// <summary>One line: the action with its reasons, or why the moment stayed silent.</summary>
    public override string ToString()
    {
        var at = At.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        return Kind switch
        {
            DecisionKind.Sent => $"{at} {CustomerId} moment {Moment}: {ActionType} on {Channel} [{string.Join(", ", ReasonCodes)}] {string.Join("; ", RulesFired)}",
            DecisionKind.Withheld => $"{at} {CustomerId} moment {Moment}: withheld, {ActionType} (variant {Variant}) chosen for a customer in an experiment's control group",
            DecisionKind.Deferred => $"{at} {CustomerId} moment {Moment}: deferred to {DeferredUntil:yyyy-MM-ddTHH:mm:ssZ}, the end of the customer's quiet hours",
            _ => $"{at} {CustomerId} moment {Moment}: silent: {(Refusals.Count == 0 ? "no action of the policies answers it" : string.Join("; ", Refusals))}",
        };
    }
}
