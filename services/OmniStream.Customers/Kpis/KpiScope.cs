using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.Kpis;

/// <summary>What a set of figures is about: every customer, a channel, a segment, or an action type and variant.</summary>
/// <param name="Dimension">The breakdown.</param>
/// <param name="Value">The channel, segment, or <c>ACTION_TYPE/variant</c>; empty for <see cref="KpiDimension.ALL"/>.</param>
public sealed record KpiScope(KpiDimension Dimension, string Value)
{
    /// <summary>The variant of an action sent outside any experiment.</summary>
    public const string NoVariant = "none";

    /// <summary>Every customer, every channel.</summary>
    public static KpiScope All { get; } = new(KpiDimension.ALL, "");

    /// <summary>One channel.</summary>
    public static KpiScope Channel(Channel channel) => new(KpiDimension.CHANNEL, channel.ToString());

    /// <summary>The customers of one segment.</summary>
    public static KpiScope Segment(string segment) => new(KpiDimension.SEGMENT, segment);

    /// <summary>One action type under one experiment variant.</summary>
    public static KpiScope Action(ActionType type, string? variant) => new(KpiDimension.ACTION, $"{type}/{variant ?? NoVariant}");

    /// <summary>The text form: <c>all</c>, <c>channel:WEB</c>, <c>segment:vip</c>, <c>action:CART_REMINDER/none</c>.</summary>
    public override string ToString() => Dimension == KpiDimension.ALL ? "all" : $"{Dimension.ToString().ToLowerInvariant()}:{Value}";

    /// <summary>Reads the text form.</summary>
    /// <exception cref="FormatException">The text is not a scope.</exception>
    public static KpiScope Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == "all")
        {
            return All;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && Enum.TryParse<KpiDimension>(text[..colon], ignoreCase: true, out var dimension) && dimension != KpiDimension.ALL
            ? new KpiScope(dimension, text[(colon + 1)..])
            : throw new FormatException($"'{text}' is not a KPI scope (all, channel:X, segment:X or action:TYPE/variant)");
    }
}
