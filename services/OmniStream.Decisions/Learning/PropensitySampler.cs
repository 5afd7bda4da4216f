namespace OmniStream.Decisions.Learning;

/// <summary>
/// Thompson sampling over a Beta–Bernoulli model: an arm's conversion probability is
/// Beta(α, β) with the prior propensity worth <c>strength</c> observations (α₀ = p·s,
/// β₀ = (1 − p)·s), updated by its sends and conversions; each decision draws from it, so arms
/// that convert better win more often while the others are still tried. The draw is seeded by
/// what is being decided, so that deciding again after a crash draws the same.
/// </summary>
public static class PropensitySampler
{
    /// <summary>The posterior mean of the arm's conversion probability.</summary>
    public static double Mean(double prior, double strength, ArmStats stats)
    {
        var (alpha, beta) = Posterior(prior, strength, stats);
        return alpha / (alpha + beta);
    }

    /// <summary>A draw of the arm's conversion probability, from a generator seeded by <paramref name="seed"/>.</summary>
    public static double Sample(double prior, double strength, ArmStats stats, ulong seed)
    {
        var (alpha, beta) = Posterior(prior, strength, stats);
        var random = new SplitMix64(seed);
        var x = Gamma(alpha, ref random);
        var y = Gamma(beta, ref random);
        return x / (x + y);
    }

    /// <summary>The seed of the draw for <paramref name="action"/> in decision <paramref name="decisionId"/>: the same on every instance and run (FNV-1a of both).</summary>
    public static ulong Seed(Guid decisionId, string action)
    {
        ArgumentNullException.ThrowIfNull(action);
        const ulong Prime = 0x100000001b3;
        var hash = 0xcbf29ce484222325;
        Span<byte> id = stackalloc byte[16];
        decisionId.TryWriteBytes(id);
        foreach (var b in id)
        {
            hash = (hash ^ b) * Prime;
        }
        foreach (var c in action)
        {
            hash = (hash ^ c) * Prime;
        }
        return hash;
    }

    private static (double Alpha, double Beta) Posterior(double prior, double strength, ArmStats stats)
    {
        var converted = Math.Min(stats.Converted, stats.Sent);
        return (prior * strength + converted, (1 - prior) * strength + (stats.Sent - converted));
    }

    // Marsaglia and Tsang's method; for a shape below 1, boosted by U^(1/shape).
    private static double Gamma(double shape, ref SplitMix64 random)
    {
        if (shape < 1)
        {
            return Gamma(shape + 1, ref random) * Math.Pow(1 - random.NextDouble(), 1 / shape);
        }
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal(ref random);
                v = 1 + c * x;
            }
            while (v <= 0);
            v = v * v * v;
            var u = 1 - random.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v))
            {
                return d * v;
            }
        }
    }

    private static double Normal(ref SplitMix64 random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    // Steele, Lea and Flood's SplitMix64: a small, well-mixed generator with no allocation.
    private struct SplitMix64(ulong state)
    {
        private ulong _state = state;

        public double NextDouble()
        {
            var z = _state += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }
    }
}
