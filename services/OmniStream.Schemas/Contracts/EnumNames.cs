using System.Runtime.CompilerServices;

namespace OmniStream.Schemas.Contracts;

/// <summary>
/// The names of a contract's enum symbols, without boxing: <c>value.ToString()</c> boxes an enum at
/// each call, which hot paths (metrics tags, action parameters) pay per action.
/// </summary>
public static class EnumNames
{
    /// <summary>The name of <paramref name="value"/> (as <c>ToString()</c> gives it).</summary>
    /// <typeparam name="T">An enum; those whose values are 0 to n - 1, as Avro's symbols are, are named without boxing.</typeparam>
    public static string Of<T>(T value) where T : struct, Enum
    {
        var names = Names<T>.All;
        var index = Unsafe.SizeOf<T>() == sizeof(int) ? Unsafe.As<T, int>(ref value) : -1;
        return (uint)index < (uint)names.Length ? names[index] : value.ToString();
    }

    private static class Names<T> where T : struct, Enum
    {
        public static readonly string[] All = Build();

        // Empty for an enum whose values are not 0 to n - 1: those are named by ToString().
        private static string[] Build()
        {
            var values = Enum.GetValues<T>();
            var names = new string[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                var value = values[i];
                if (Unsafe.SizeOf<T>() != sizeof(int) || Unsafe.As<T, int>(ref value) != i)
                {
                    return [];
                }
                names[i] = value.ToString();
            }
            return names;
        }
    }
}
