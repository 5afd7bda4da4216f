using System.Diagnostics;
using NUnit.Framework;

namespace OmniStream.Testing;

/// <summary>Waits for a condition with a deadline, instead of sleeping and hoping.</summary>
public static class Wait
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test naming <paramref name="what"/> at the deadline.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what}");
            }
            await Task.Delay(Poll).ConfigureAwait(false);
        }
    }
}
