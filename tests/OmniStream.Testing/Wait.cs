using System.Diagnostics;
using NUnit.Framework;

namespace OmniStream.Testing;

/// <summary>Waits for a condition with a deadline, instead of sleeping and hoping.</summary>
public static class Wait
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test naming <paramref name="what"/> at the deadline.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what);

    /// <summary>Polls <paramref name="condition"/> (asynchronous, e.g. an HTTP request) until it holds; fails the test naming <paramref name="what"/> at the deadline.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) => UntilAsync(condition, timeout, () => what);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test at the deadline with <paramref name="what"/>, read then (it may say what is still missing).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(what);
        var clock = Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what()}");
            }
            await Task.Delay(Poll).ConfigureAwait(false);
        }
    }
}
