namespace OmniStream.Customers.Segments;

/// <summary>A segment: a name and the conditions a customer's state meets to be in it.</summary>
/// <param name="Name">The segment's name, as written in <c>omni.segment-changes</c> and the 360° view.</param>
/// <param name="Description">What it means, for people.</param>
/// <param name="Conditions">All must hold.</param>
/// <param name="Rule">The rule as written in the file.</param>
public sealed record SegmentDefinition(string Name, string Description, IReadOnlyList<SegmentCondition> Conditions, string Rule);

/// <summary>One comparison of a customer metric with a number, e.g. <c>monetary_window &gt; 500</c>.</summary>
/// <param name="Metric">The metric (see <see cref="SegmentMetrics"/>).</param>
/// <param name="Operator">One of <c>&gt; &gt;= &lt; &lt;= == !=</c>.</param>
/// <param name="Value">The number compared with.</param>
public sealed record SegmentCondition(string Metric, string Operator, decimal Value)
{
    /// <summary>The operators a condition may use.</summary>
    public static IReadOnlyList<string> Operators { get; } = [">=", "<=", "==", "!=", ">", "<"];

    /// <summary>Whether <paramref name="metric"/> meets the condition; a metric without a value (no order yet, no survey) meets none.</summary>
    public bool HoldsFor(decimal? metric) => metric is { } m && Operator switch
    {
        ">" => m > Value,
        ">=" => m >= Value,
        "<" => m < Value,
        "<=" => m <= Value,
        "==" => m == Value,
        _ => m != Value,
    };
}
