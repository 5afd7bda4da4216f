using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using OmniStream.Decisions.Learning;
using OmniStream.Decisions.Policies;

namespace OmniStream.Decisions.Engine;

/// <summary>
/// What the engine looks up in a policy set on every decision, made once per set: the moments of
/// each kind of event, and each action's learning arm per learning segment.
/// </summary>
internal sealed class PolicyIndex
{
    private static readonly ConditionalWeakTable<PolicySet, PolicyIndex> Indexes = [];
    private readonly Dictionary<string, Moment[]> _byEvent;
    private readonly ConcurrentDictionary<(string Action, string Segment), string> _arms = new();

    private PolicyIndex(PolicySet policies) =>
        _byEvent = policies.Moments.Where(m => m.OnEvent is not null).GroupBy(m => m.OnEvent!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    /// <summary>The index of <paramref name="policies"/>.</summary>
    public static PolicyIndex Of(PolicySet policies) => Indexes.GetValue(policies, static p => new PolicyIndex(p));

    /// <summary>The moments triggered by events named <paramref name="eventName"/>, in file order.</summary>
    public IReadOnlyList<Moment> MomentsOn(string eventName) => _byEvent.TryGetValue(eventName, out var moments) ? moments : [];

    /// <summary>The learning arm of <paramref name="action"/> for customers of <paramref name="segment"/> (<see cref="ArmStats.Key"/>).</summary>
    public string Arm(string action, string segment) => _arms.GetOrAdd((action, segment), static key => ArmStats.Key(key.Action, key.Segment));
}
