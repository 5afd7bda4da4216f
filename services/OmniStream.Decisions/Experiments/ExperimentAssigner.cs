using System.Security.Cryptography;
using System.Text;
using OmniStream.Decisions.Policies;

namespace OmniStream.Decisions.Experiments;

/// <summary>
/// Puts each customer in one arm of an experiment by a hash of the experiment and the customer id:
/// the same customer always lands in the same arm, on every instance, and arms get their shares.
/// </summary>
public static class ExperimentAssigner
{
    /// <summary>The customer's bucket (0–99) in <paramref name="experimentId"/>.</summary>
    public static int Bucket(string experimentId, string customerId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{experimentId}\u001f{customerId}"));
        return (int)(BitConverter.ToUInt32(hash, 0) % 100);
    }

    /// <summary>The variant of <paramref name="customerId"/>: control for the first buckets, then each variant's share in order.</summary>
    public static string Variant(ExperimentDefinition experiment, string customerId)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var bucket = Bucket(experiment.Id, customerId);
        if (bucket < experiment.ControlShare)
        {
            return ExperimentDefinition.Control;
        }
        var upTo = experiment.ControlShare;
        foreach (var variant in experiment.Variants)
        {
            upTo += variant.Share;
            if (bucket < upTo)
            {
                return variant.Name;
            }
        }
        return experiment.Variants[^1].Name;
    }
}
