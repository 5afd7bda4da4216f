using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using OmniStream.Decisions.Learning;
using OmniStream.Decisions.Policies;

namespace OmniStream.Decisions.Engine;

/// <summary>
/// What the engine looks up in a policy set on every decision, made once per set: the moments of
/// each kind of event, each action's learning arm per learning segment, and the rules an action
/// explains that only the policies' text makes (a moment's, an action's eligibility).
/// </summary>
internal sealed class PolicyIndex
{
    private static readonly ConditionalWeakTable<PolicySet, PolicyIndex> Indexes = [];
    private readonly Dictionary<string, Moment[]> _byEvent;
    private readonly ConcurrentDictionary<(string Action, string Segment), string> _arms = new();
    private readonly ConcurrentDictionary<Moment, string> _momentRules = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<ActionDefinition, string> _eligibilityRules = new(ReferenceEqualityComparer.Instance);

    private PolicyIndex(PolicySet policies) =>
        _byEvent = policies.Moments.Where(m => m.OnEvent is not null).GroupBy(m => m.OnEvent!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    /// <summary>The index of <paramref name="policies"/>.</summary>
    public static PolicyIndex Of(PolicySet policies) => Indexes.GetValue(policies, static p => new PolicyIndex(p));

    /// <summary>The moments triggered by events named <paramref name="eventName"/>, in file order.</summary>
    public IReadOnlyList<Moment> MomentsOn(string eventName) => _byEvent.TryGetValue(eventName, out var moments) ? moments : [];

    /// <summary>The learning arm of <paramref name="action"/> for customers of <paramref name="segment"/> (<see cref="ArmStats.Key"/>).</summary>
    public string Arm(string action, string segment) => _arms.GetOrAdd((action, segment), static key => ArmStats.Key(key.Action, key.Segment));

    /// <summary>The rule that says when <paramref name="moment"/> comes, as an action explains it.</summary>
    public string MomentRule(Moment moment) => _momentRules.GetOrAdd(moment, static m =>
    {
        var timing = m.After is { } after ? $", after {DurationText.Format(after)}" : m.At is { } at ? $", at {at.Text}" : "";
        return $"moment {m.Name}: on {m.TriggerText}{(m.WhenText.Length > 0 ? $" when {m.WhenText}" : "")}{timing}";
    });

    /// <summary>The rule that says who <paramref name="action"/> is for, as an action explains it.</summary>
    public string EligibilityRule(ActionDefinition action) => _eligibilityRules.GetOrAdd(action, static a =>
        $"eligibility {a.Name}: segments [{string.Join(", ", a.Segments)}]{(a.WhenText.Length > 0 ? $", when {a.WhenText}" : "")}");
}
