using System.Globalization;

namespace OmniStream.Cli.Bench;

/// <summary>
/// The benchmark's policy: one reminder per cart update, after an idle time, decided by the policy
/// engine like any other action, but with no consent to wait for and no caps or gaps, so that the
/// number of actions is known from the traffic and every cart update measures the pipeline.
/// </summary>
internal static class BenchPolicy
{
    /// <summary>Writes the policy file into <paramref name="directory"/>; returns its path.</summary>
    public static string Write(string directory, TimeSpan cartIdle)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "bench-policies.yaml");
        File.WriteAllText(path, $"""
            moments:
              cart_idle:
                on: CartUpdated
                after: {cartIdle.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms
                actions: [cart_reminder]
            actions:
              cart_reminder:
                type: CART_REMINDER
                purpose: SERVICE
                channel: last_active
                deliverable: [WEB, MOBILE_APP, EMAIL]
                fallback: EMAIL
                when: cart_value > 0
                value: cart_value
                propensity: 0.15
                content: cart-reminder/v1
                include: [cart]
            """);
        return path;
    }
}
