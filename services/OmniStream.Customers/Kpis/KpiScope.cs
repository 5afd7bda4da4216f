using System.Collections.Concurrent;
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

    private static readonly KpiScope[] Channels = [.. Enum.GetValues<Channel>().Select(c => new KpiScope(KpiDimension.CHANNEL, c.ToString()))];
    private static readonly ConcurrentDictionary<string, KpiScope> Segments = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(ActionType, string?), KpiScope> Actions = new();
    private const int MaxRemembered = 10_000;

    /// <summary>One channel.</summary>
    public static KpiScope Channel(Channel channel) => (int)channel >= 0 && (int)channel < Channels.Length ? Channels[(int)channel] : new(KpiDimension.CHANNEL, channel.ToString());

    /// <summary>The customers of one segment.</summary>
    public static KpiScope Segment(string segment) => Remembered(Segments, segment, static s => new(KpiDimension.SEGMENT, s));

    /// <summary>One action type under one experiment variant.</summary>
    public static KpiScope Action(ActionType type, string? variant) =>
        Remembered(Actions, (type, variant), static key => new(KpiDimension.ACTION, $"{key.Item1}/{key.Item2 ?? NoVariant}"));

    // Scopes are made per fact: the few that exist are made once (a bound keeps names from outside from growing it without end).
    private static KpiScope Remembered<TKey>(ConcurrentDictionary<TKey, KpiScope> known, TKey key, Func<TKey, KpiScope> create) where TKey : notnull =>
        known.TryGetValue(key, out var scope) ? scope : known.Count < MaxRemembered ? known.GetOrAdd(key, create) : create(key);

    // Made with the scope (scopes are made once and named on every fact): the same for equal scopes, so equality holds.
    private readonly string _text = Dimension == KpiDimension.ALL ? "all" : $"{Dimension.ToString().ToLowerInvariant()}:{Value}";

    /// <summary>The text form: <c>all</c>, <c>channel:WEB</c>, <c>segment:vip</c>, <c>action:CART_REMINDER/none</c>.</summary>
    public override string ToString() => _text;

    /// <summary>Reads the text form.</summary>
    /// <exception cref="FormatException">The text is not a scope.</exception>
    public static KpiScope Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(text.AsSpan());
    }

    /// <summary>Reads the text form; a scope read before is not made again.</summary>
    /// <exception cref="FormatException">The text is not a scope.</exception>
    public static KpiScope Parse(ReadOnlySpan<char> text)
    {
        if (ParsedByText.TryGetValue(text, out var known))
        {
            return known;
        }
        var scope = Read(text);
        if (Parsed.Count < MaxRemembered)
        {
            ParsedByText.TryAdd(text, scope);
        }
        return scope;
    }

    private static readonly ConcurrentDictionary<string, KpiScope> Parsed = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, KpiScope>.AlternateLookup<ReadOnlySpan<char>> ParsedByText = Parsed.GetAlternateLookup<ReadOnlySpan<char>>();

    private static KpiScope Read(ReadOnlySpan<char> text)
    {
        if (text.SequenceEqual("all"))
        {
            return All;
        }
        var colon = text.IndexOf(':');
        return colon > 0 && Enum.TryParse<KpiDimension>(text[..colon], ignoreCase: true, out var dimension) && dimension != KpiDimension.ALL
            ? new KpiScope(dimension, text[(colon + 1)..].ToString())
            : throw new FormatException($"'{text}' is not a KPI scope (all, channel:X, segment:X or action:TYPE/variant)");
    }
}
