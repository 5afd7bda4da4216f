using System.Globalization;
using System.Text;
using System.Text.Unicode;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.Kpis;

/// <summary>
/// One window of one scope: where counts add up. Its text form, <c>HOUR/2026-11-23T10:00:00Z/channel:WEB</c>,
/// is the key of its counts on topics and in stores; keys of a window length sort by start.
/// </summary>
/// <param name="Window">The window length.</param>
/// <param name="Start">The window's start.</param>
/// <param name="Scope">The scope.</param>
public readonly record struct KpiCell(KpiWindow Window, DateTime Start, KpiScope Scope)
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>The cell of <paramref name="window"/> that <paramref name="fact"/> counts in.</summary>
    public static KpiCell Of(KpiFact fact, KpiWindow window) => new(window, KpiWindows.StartOf(window, fact.At), fact.Scope);

    /// <summary>The text form of the cells of <paramref name="window"/> that start before <paramref name="time"/> sort before this.</summary>
    public static string Prefix(KpiWindow window, DateTime time) => $"{window}/{Format(time)}";

    /// <summary>The text form.</summary>
    public override string ToString() => $"{Prefix(Window, Start)}/{Scope}";

    /// <summary>The text form in UTF-8 (the key of its counts), made without the strings of <see cref="ToString"/>.</summary>
    public byte[] ToUtf8()
    {
        Span<byte> text = stackalloc byte[256];
        int written;
        while (!Utf8.TryWrite(text, CultureInfo.InvariantCulture, $"{Window}/{Start.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'}/{Scope}", out written))
        {
            text = new byte[text.Length * 2];
        }
        return text[..written].ToArray();
    }

    /// <summary>Reads the text form.</summary>
    /// <exception cref="FormatException">The text is not a cell.</exception>
    public static KpiCell Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(text.AsSpan());
    }

    /// <summary>Reads the text form, without making strings for its parts.</summary>
    /// <exception cref="FormatException">The text is not a cell.</exception>
    public static KpiCell Parse(ReadOnlySpan<char> text)
    {
        var first = text.IndexOf('/');
        var rest = first < 0 ? [] : text[(first + 1)..];
        var second = rest.IndexOf('/');
        return first >= 0 && second >= 0
            && Enum.TryParse<KpiWindow>(text[..first], out var window)
            && DateTime.TryParseExact(rest[..second], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var start)
            ? new KpiCell(window, start, KpiScope.Parse(rest[(second + 1)..]))
            : throw new FormatException($"'{text}' is not a KPI cell (WINDOW/yyyy-MM-ddTHH:mm:ssZ/scope)");
    }

    /// <summary>Reads the text form from its UTF-8 bytes (a key as stored and sent).</summary>
    /// <exception cref="FormatException">The bytes are not a cell.</exception>
    public static KpiCell ParseUtf8(ReadOnlySpan<byte> utf8)
    {
        const int OnTheStack = 256;
        if (utf8.Length > OnTheStack)
        {
            return Parse(Encoding.UTF8.GetString(utf8));
        }
        Span<char> text = stackalloc char[OnTheStack];
        return Parse(text[..Encoding.UTF8.GetChars(utf8, text)]);
    }

    private static string Format(DateTime time) => time.ToUniversalTime().ToString(TimeFormat, CultureInfo.InvariantCulture);
}
