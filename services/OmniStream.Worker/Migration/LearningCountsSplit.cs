using OmniStream.Decisions.Learning;

namespace OmniStream.Worker.Migration;

/// <summary>
/// How the learning counts of an application's partitions pass to an application with another partition count. Each
/// partition learns from its own customers; a new partition's customers come from old partitions in the shares a uniform
/// key hash gives (hash mod old = p and hash mod new = q), so it starts from those shares of their counts, and the totals
/// stay what they were.
/// </summary>
public static class LearningCountsSplit
{
    /// <summary>The counts of each new partition, by arm, from the counts of each old partition (<paramref name="from"/> partitions) by arm.</summary>
    public static IReadOnlyDictionary<(int Partition, string Arm), ArmStats> Split(IReadOnlyDictionary<(int Partition, string Arm), ArmStats> counts, int from, int to)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var cycle = from / Gcd(from, to) * to;
        var split = new Dictionary<(int, string), (double Sent, double Converted)>();
        foreach (var ((partition, arm), stats) in counts)
        {
            for (var target = 0; target < to; target++)
            {
                // Of the cycle's residues of the old partition, the share that falls in the new one.
                var shared = Enumerable.Range(0, cycle / from).Count(i => (partition + i * from) % to == target) / (double)(cycle / from);
                if (shared > 0)
                {
                    split.TryGetValue((target, arm), out var sum);
                    split[(target, arm)] = (sum.Sent + stats.Sent * shared, sum.Converted + stats.Converted * shared);
                }
            }
        }
        return split.Where(s => Math.Round(s.Value.Sent) > 0)
            .ToDictionary(s => s.Key, s => new ArmStats((long)Math.Round(s.Value.Sent), (long)Math.Min(Math.Round(s.Value.Converted), Math.Round(s.Value.Sent))));
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
