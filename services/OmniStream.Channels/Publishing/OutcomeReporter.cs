using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Kafka;

namespace OmniStream.Channels.Publishing;

/// <summary>
/// Reports what became of a next best action (delivered, opened, converted...) to
/// <c>omni.action-outcomes</c>, keyed by customer, through an idempotent producer; the worker
/// records it in the customer's state and counts conversions per action and variant. Thread-safe;
/// keep one per process.
/// </summary>
public sealed class OutcomeReporter : IDisposable
{
    private static readonly string Topic = TopicCatalog.ActionOutcomes.Name;
    private readonly IProducer<string, byte[]> _producer;
    private readonly AvroSerde<ActionOutcome> _serde;
    private readonly TimeProvider _time;

    /// <summary>Creates a reporter for the cluster in <paramref name="kafka"/>.</summary>
    public OutcomeReporter(KafkaOptions kafka, AvroSerde<ActionOutcome> serde, TimeProvider? time = null, string clientId = "omnistream-outcome-reporter")
    {
        _producer = new ProducerBuilder<string, byte[]>(KafkaClientConfigs.Producer(kafka, clientId)).Build();
        _serde = serde;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Reports that <paramref name="action"/> reached <paramref name="outcome"/> now; completes when the cluster has it.</summary>
    /// <param name="action">The action, as received.</param>
    /// <param name="outcome">What happened.</param>
    /// <param name="value">Revenue attributed to a conversion, when known.</param>
    /// <param name="detail">Free text, e.g. why delivery failed.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async Task<ActionOutcome> ReportAsync(NextBestAction action, Outcome outcome, decimal? value = null, string? detail = null,
        CancellationToken cancellationToken = default)
    {
        var report = Of(action, outcome, _time.GetUtcNow().UtcDateTime, value, detail);
        return await ReportAsync(report, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The report that <paramref name="action"/> reached <paramref name="outcome"/> at <paramref name="at"/>, with a new outcome id.</summary>
    public static ActionOutcome Of(NextBestAction action, Outcome outcome, DateTime at, decimal? value = null, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new ActionOutcome
        {
            outcomeId = Guid.NewGuid(),
            actionId = action.actionId,
            customerId = action.customerId,
            channel = action.channel,
            actionType = action.actionType,
            outcome = outcome,
            occurredAt = at,
            experiment = action.experiment,
            value = value is { } amount ? Amount.Of(amount) : null,
            detail = detail,
        };
    }

    /// <summary>Reports <paramref name="report"/> as it is (a gateway relaying an outcome received over HTTP); completes when the cluster has it.</summary>
    public async Task<ActionOutcome> ReportAsync(ActionOutcome report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var message = new Message<string, byte[]>
        {
            Key = report.customerId,
            Value = await _serde.SerializeAsync(report, Topic, cancellationToken).ConfigureAwait(false),
            Timestamp = new Timestamp(report.occurredAt),
        };
        await _producer.ProduceAsync(Topic, message, cancellationToken).ConfigureAwait(false);
        return report;
    }

    /// <inheritdoc />
    public void Dispose() => _producer.Dispose();
}
