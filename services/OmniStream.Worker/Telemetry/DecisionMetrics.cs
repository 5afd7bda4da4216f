using System.Diagnostics;
using System.Diagnostics.Metrics;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Worker.Telemetry;

/// <summary>The worker's decision instruments, under the meter <see cref="MeterName"/>.</summary>
public sealed class DecisionMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "omnistream.decisions";

    private static readonly string[] Results = [.. Enum.GetValues<OmniStream.Decisions.Engine.DecisionKind>().OrderBy(k => (int)k).Select(k => k.ToString().ToLowerInvariant())];

    private readonly Meter _meter = new(MeterName);

    /// <summary>The meter of these instruments (one per instance: several may share a process).</summary>
    public Meter Meter => _meter;
    private readonly Counter<long> _actions;
    private readonly Histogram<double> _triggerToAction;
    private readonly Counter<long> _decisions;

    /// <summary>Creates the instruments.</summary>
    public DecisionMetrics()
    {
        _actions = _meter.CreateCounter<long>("omnistream.decisions.actions", "{action}", "Next best actions emitted");
        _triggerToAction = _meter.CreateHistogram<double>("omnistream.decisions.trigger_to_action", "ms",
            "From the trigger (event receipt or timer due time) to the decision");
        _decisions = _meter.CreateCounter<long>("omnistream.decisions.moments", "{decision}",
            "Moments decided, by moment and result (sent, withheld for a control group, deferred by quiet hours, none eligible)");
    }

    /// <summary>Counts a decision by moment and result.</summary>
    public void Decided(OmniStream.Decisions.Engine.Decision decision)
    {
        _decisions.Add(1, new TagList { { "moment", decision.Moment }, { "result", Results[(int)decision.Kind] } });
    }

    /// <summary>Counts an emitted action and its latency.</summary>
    public void Emitted(NextBestAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var tags = new TagList { { "action_type", EnumNames.Of(action.actionType) }, { "channel", EnumNames.Of(action.channel) } };
        _actions.Add(1, tags);
        _triggerToAction.Record((action.decidedAt - action.triggeredAt).TotalMilliseconds, tags);
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
