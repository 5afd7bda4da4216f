using OmniStream.Channels.Publishing;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Cli.Simulation;

/// <summary>
/// The channel backend of the evaluation: for each offer received, checks it against the consent and
/// contact rules the simulator knows (every breach counted), draws whether the customer converts from
/// the hidden rate, and reports the conversion back to the worker.
/// </summary>
internal sealed class OfferOutcomes(SimulatedPopulation population, OutcomeReporter reporter, int seed)
{
    private readonly Random _random = new(seed);
    private readonly Dictionary<string, List<DateTime>> _sentTo = [];
    private readonly object _lock = new();

    /// <summary>Every offer received, in order of arrival, with whether it converted.</summary>
    public List<(string Action, bool Loyal, bool Converted)> Decisions { get; } = [];

    public int ConsentBreaches { get; private set; }

    public int CapBreaches { get; private set; }

    public DateTime LastReceivedAt { get; private set; } = DateTime.UtcNow;

    public int Received
    {
        get
        {
            lock (_lock)
            {
                return Decisions.Count;
            }
        }
    }

    public async ValueTask OnActionAsync(NextBestAction action, CancellationToken cancellationToken)
    {
        var (loyal, consents) = population.Traits(action.customerId);
        var name = SimulationFiles.ActionOf(action.contentRef);
        var converted = _random.NextDouble() < SimulatedPopulation.Rate(name, loyal);
        lock (_lock)
        {
            ConsentBreaches += consents && action.channel == Channel.MOBILE_APP ? 0 : 1;
            var sent = _sentTo.TryGetValue(action.customerId, out var times) ? times : _sentTo[action.customerId] = [];
            var breaksGap = sent.Any(t => (action.decidedAt - t).Duration() < SimulationFiles.MinGap);
            var breaksCap = sent.Count(t => (action.decidedAt - t).Duration() < TimeSpan.FromDays(1)) >= SimulationFiles.CapPerDay;
            CapBreaches += breaksGap || breaksCap ? 1 : 0;
            sent.Add(action.decidedAt);
            Decisions.Add((name, loyal, converted));
            LastReceivedAt = DateTime.UtcNow;
        }
        if (converted)
        {
            await reporter.ReportAsync(action, Outcome.CONVERTED, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
