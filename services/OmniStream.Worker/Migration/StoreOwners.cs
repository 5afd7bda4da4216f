using OmniStream.Customers.Kpis;
using OmniStream.Streaming.Queries;
using OmniStream.Streaming.State;
using OmniStream.Worker.Customers;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Migration;

/// <summary>
/// Whose a stored key is: the key of the input records that own it, which says its partition. A customer's parts
/// (<c>key</c> 0xFF suffix), its erasure mark (0xFF <c>key</c>) and its timers (<c>d</c> due <c>key</c>) live in the partition of
/// the customer's key; links, journeys and KPI cells under their own key.
/// </summary>
public static class StoreOwners
{
    /// <summary>The owning key of <paramref name="key"/> in <paramref name="store"/>.</summary>
    public static byte[] Of(string store, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return store switch
        {
            WorkerTopology.CustomersStore => CustomerOf(key),
            WorkerTopology.TimersStore => DueTimers.TimerKeyOf(key) is { } timer ? CustomerOf(timer) : key,
            _ => key,
        };
    }

    /// <summary>
    /// The partitions <paramref name="key"/> of <paramref name="store"/> goes to among <paramref name="partitions"/>: its owner's; none
    /// for the segments' members and the mark that a partition counted them (<see cref="SegmentCensus"/>): the new application
    /// counts its members again, once, from the customers it holds (an old partition may not have counted its own yet).
    /// </summary>
    public static IEnumerable<int> PartitionsOf(string store, byte[] key, int partitions) =>
        (store == WorkerTopology.CustomersStore && SegmentCensus.IsMark(key)) || (store == WorkerTopology.KpisStore && SegmentMembers.IsKey(key))
            ? []
            : [KeyPartitioner.Partition(Of(store, key), partitions)];

    // An erasure mark's customer; a part's customer; else the key itself.
    private static byte[] CustomerOf(byte[] key) =>
        ErasureMarks.IsMark(key) ? key[1..]
        : Array.IndexOf(key, KeyParts.Separator) is > 0 and var separator ? key[..separator]
        : key;
}
