using System.Globalization;
using Microsoft.AspNetCore.Http;
using OmniStream.Customers.Kpis;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Worker.Api;

/// <summary>
/// Which KPI cells a request asks for: <c>window</c> (MINUTE, HOUR or DAY; all when absent),
/// <c>last</c> (how many of the latest windows of each length, the current one included; default 1),
/// <c>at</c> (an ISO 8601 time: the windows that hold it, and those before; default now),
/// and <c>dimension</c> (all, channel, segment or action) or <c>scope</c> (e.g. <c>channel:WEB</c>).
/// </summary>
/// <param name="Windows">The window lengths.</param>
/// <param name="Last">How many latest windows of each length.</param>
/// <param name="Dimension">Only this breakdown, if set.</param>
/// <param name="Scope">Only this scope, if set.</param>
/// <param name="Now">The moment the latest windows are counted back from (<c>at</c>, else now).</param>
public sealed record KpiQuery(IReadOnlyList<KpiWindow> Windows, int Last, KpiDimension? Dimension, KpiScope? Scope, DateTime Now)
{
    /// <summary>The most windows of each length one request may ask for.</summary>
    public const int MaxLast = 1440;

    /// <summary>True when <paramref name="cell"/> is asked for.</summary>
    public bool Matches(KpiCell cell)
    {
        var latest = KpiWindows.StartOf(cell.Window, Now);
        return Windows.Contains(cell.Window)
            && cell.Start <= latest
            && cell.Start >= latest - (Last - 1) * KpiWindows.Length(cell.Window)
            && (Dimension is null || cell.Scope.Dimension == Dimension)
            && (Scope is null || cell.Scope == Scope);
    }

    /// <summary>True when the members of <paramref name="segment"/> (a scope of dimension SEGMENT) are asked for: any window does.</summary>
    public bool Matches(KpiScope segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return (Dimension is null || segment.Dimension == Dimension) && (Scope is null || segment == Scope);
    }

    /// <summary>Reads a request's query string; the error names the parameter at fault.</summary>
    public static (KpiQuery? Query, string? Error) Parse(IQueryCollection query, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(query);
        IReadOnlyList<KpiWindow> windows = KpiWindows.All;
        if (query["window"].ToString() is { Length: > 0 } window)
        {
            if (!Enum.TryParse<KpiWindow>(window, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return (null, $"window '{window}' is not one of MINUTE, HOUR, DAY");
            }
            windows = [parsed];
        }
        var last = 1;
        if (query["last"].ToString() is { Length: > 0 } lastText && (!int.TryParse(lastText, out last) || last < 1 || last > MaxLast))
        {
            return (null, $"last '{lastText}' must be a whole number from 1 to {MaxLast}");
        }
        KpiDimension? dimension = null;
        if (query["dimension"].ToString() is { Length: > 0 } dimensionText)
        {
            if (!Enum.TryParse<KpiDimension>(dimensionText, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return (null, $"dimension '{dimensionText}' is not one of all, channel, segment, action");
            }
            dimension = parsed;
        }
        KpiScope? scope = null;
        if (query["scope"].ToString() is { Length: > 0 } scopeText)
        {
            try
            {
                scope = KpiScope.Parse(scopeText);
            }
            catch (FormatException e)
            {
                return (null, e.Message);
            }
        }
        if (query["at"].ToString() is { Length: > 0 } atText)
        {
            if (!DateTime.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out now))
            {
                return (null, $"at '{atText}' is not an ISO 8601 time such as 2026-11-23T10:00:00Z");
            }
        }
        return (new KpiQuery(windows, last, dimension, scope, now), null);
    }
}
