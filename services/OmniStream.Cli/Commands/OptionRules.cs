using System.CommandLine;

namespace OmniStream.Cli.Commands;

/// <summary>Validation shared by the commands' options; errors name the option.</summary>
internal static class OptionRules
{
    /// <summary>Refuses values of <paramref name="option"/> below <paramref name="minimum"/>.</summary>
    public static void AtLeast<T>(Option<T> option, T minimum, string? unit = null) where T : struct, IComparable<T>
    {
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<T>().CompareTo(minimum) < 0)
            {
                r.AddError($"{option.Name} must be at least {minimum}{(unit is null ? "" : " " + unit)}");
            }
        });
    }
}
