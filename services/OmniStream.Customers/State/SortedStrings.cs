using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace OmniStream.Customers.State;

/// <summary>
/// A small set of strings kept sorted (ordinal) in one array: a customer's linked ids, segments,
/// absorbed ids. Reading, enumerating and testing membership allocate nothing.
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "Named as the state's other members are: what it holds.")]
public sealed class SortedStrings : IReadOnlySet<string>
{
    private readonly List<string> _items = [];

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <summary>The string at <paramref name="index"/>, in order.</summary>
    public string this[int index] => _items[index];

    /// <inheritdoc />
    public bool Contains(string item) => _items.BinarySearch(item, StringComparer.Ordinal) >= 0;

    /// <summary>Adds <paramref name="item"/>; false when held already.</summary>
    public bool Add(string item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var index = _items.BinarySearch(item, StringComparer.Ordinal);
        if (index >= 0)
        {
            return false;
        }
        _items.Insert(~index, item);
        return true;
    }

    /// <summary>Removes <paramref name="item"/>; false when not held.</summary>
    public bool Remove(string item)
    {
        var index = _items.BinarySearch(item, StringComparer.Ordinal);
        if (index < 0)
        {
            return false;
        }
        _items.RemoveAt(index);
        return true;
    }

    /// <summary>Adds every one of <paramref name="items"/>.</summary>
    public void UnionWith(IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            Add(item);
        }
    }

    /// <summary>Enumerates in order, allocating nothing.</summary>
    public List<string>.Enumerator GetEnumerator() => _items.GetEnumerator();

    IEnumerator<string> IEnumerable<string>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool IsProperSubsetOf(IEnumerable<string> other) => Count < other.Distinct().Count() && IsSubsetOf(other);

    /// <inheritdoc />
    public bool IsProperSupersetOf(IEnumerable<string> other) => IsSupersetOf(other) && Count > other.Distinct().Count();

    /// <inheritdoc />
    public bool IsSubsetOf(IEnumerable<string> other) => _items.All(other.ToHashSet(StringComparer.Ordinal).Contains);

    /// <inheritdoc />
    public bool IsSupersetOf(IEnumerable<string> other) => other.All(Contains);

    /// <inheritdoc />
    public bool Overlaps(IEnumerable<string> other) => other.Any(Contains);

    /// <inheritdoc />
    public bool SetEquals(IEnumerable<string> other) => IsSupersetOf(other) && IsSubsetOf(other);
}
