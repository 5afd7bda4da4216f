using System.Globalization;

namespace OmniStream.Customers.Segments;

/// <summary>
/// Reads a rule: one or more comparisons of a metric with a number joined by <c>and</c>, e.g.
/// <c>days_since_last_order &gt; 60 and orders_lifetime &gt;= 3</c>. Segment rules, action
/// eligibility and moment conditions share this syntax, each with its own metrics.
/// </summary>
public static class RuleText
{
    /// <summary>The conditions of <paramref name="rule"/>, whose metrics must be among <paramref name="metrics"/>.</summary>
    /// <exception cref="FormatException">The rule does not read; the message says which part and why.</exception>
    public static IReadOnlyList<SegmentCondition> Parse(string rule, IReadOnlyCollection<string> metrics)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(metrics);
        return [.. rule.Split(" and ", StringSplitOptions.TrimEntries).Select(part => Condition(part, metrics))];
    }

    private static SegmentCondition Condition(string text, IReadOnlyCollection<string> metrics)
    {
        var op = SegmentCondition.Operators.FirstOrDefault(o => text.Contains(o, StringComparison.Ordinal))
            ?? throw new FormatException($"'{text}' has no comparison (use one of {string.Join(" ", SegmentCondition.Operators)})");
        var sides = text.Split(op, 2, StringSplitOptions.TrimEntries);
        if (!metrics.Contains(sides[0]))
        {
            throw new FormatException($"unknown metric '{sides[0]}' (known: {string.Join(", ", metrics)})");
        }
        if (!decimal.TryParse(sides[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"'{sides[1]}' is not a number");
        }
        return new SegmentCondition(sides[0], op, value);
    }
}
