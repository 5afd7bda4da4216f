using System.Collections;
using OmniStream.Schemas.Wire;

namespace OmniStream.Decisions.Engine;

/// <summary>
/// The rules an action fired, as the action carries them: texts, and the candidates' score
/// explanations, which go into the action's encoding as UTF-8 straight from their numbers and are
/// made strings only when read. Read-only once built (until the action is written into again: <see cref="Reused"/>). Also a non-generic <see cref="IList"/>: Apache.Avro's writer
/// (behind Confluent's serializer, with a Schema Registry) reads arrays through it.
/// </summary>
internal sealed class FiredRules(int count, double priorStrength) : IList<string>, IReadOnlyList<string>, IList, IAvroStrings
{
    // Each rule: its text, or the candidate whose explanation it is (until read as text).
    private object?[] _rules = new object?[count];
    private double _priorStrength = priorStrength;

    /// <summary>
    /// <paramref name="held"/> emptied for <paramref name="count"/> rules (the rules of an action written into
    /// again), or new rules when there is none.
    /// </summary>
    public static FiredRules Reused(FiredRules? held, int count, double priorStrength)
    {
        if (held is null)
        {
            return new FiredRules(count, priorStrength);
        }
        if (held._rules.Length == count)
        {
            Array.Clear(held._rules);
        }
        else
        {
            held._rules = new object?[count];
        }
        held._priorStrength = priorStrength;
        return held;
    }

    /// <inheritdoc cref="IList{T}.this" />
    public string this[int index]
    {
        get => _rules[index] switch
        {
            string text => text,
            Candidate candidate => (string)(_rules[index] = candidate.Explain(_priorStrength)),
            _ => throw new InvalidOperationException($"rule {index} was never set"),
        };
        set => throw ReadOnly();
    }

    /// <inheritdoc />
    public int Count => _rules.Length;

    /// <inheritdoc />
    public bool IsReadOnly => true;

    /// <summary>Sets rule <paramref name="index"/> to <paramref name="text"/> (while the rules are built).</summary>
    public void Set(int index, string text) => _rules[index] = text;

    /// <summary>Sets rule <paramref name="index"/> to the explanation of <paramref name="candidate"/>'s score (while the rules are built).</summary>
    public void Explain(int index, Candidate candidate) => _rules[index] = candidate;

    /// <inheritdoc />
    public void WriteItem(int index, ref AvroWriter writer)
    {
        switch (_rules[index])
        {
            case string text:
                writer.WriteString(text);
                break;
            case Candidate candidate:
                candidate.WriteExplanation(ref writer, _priorStrength);
                break;
            default:
                throw new InvalidOperationException($"rule {index} was never set");
        }
    }

    /// <inheritdoc />
    public int IndexOf(string item)
    {
        for (var i = 0; i < Count; i++)
        {
            if (this[i] == item)
            {
                return i;
            }
        }
        return -1;
    }

    /// <inheritdoc />
    public bool Contains(string item) => IndexOf(item) >= 0;

    /// <inheritdoc />
    public void CopyTo(string[] array, int arrayIndex)
    {
        ArgumentNullException.ThrowIfNull(array);
        for (var i = 0; i < Count; i++)
        {
            array[arrayIndex + i] = this[i];
        }
    }

    /// <inheritdoc />
    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public void Add(string item) => throw ReadOnly();

    /// <inheritdoc />
    public void Clear() => throw ReadOnly();

    /// <inheritdoc />
    public void Insert(int index, string item) => throw ReadOnly();

    /// <inheritdoc />
    public bool Remove(string item) => throw ReadOnly();

    /// <inheritdoc />
    public void RemoveAt(int index) => throw ReadOnly();

    object? IList.this[int index]
    {
        get => this[index];
        set => throw ReadOnly();
    }

    bool IList.IsFixedSize => true;

    bool ICollection.IsSynchronized => false;

    object ICollection.SyncRoot => this;

    int IList.Add(object? value) => throw ReadOnly();

    bool IList.Contains(object? value) => value is string text && Contains(text);

    int IList.IndexOf(object? value) => value is string text ? IndexOf(text) : -1;

    void IList.Insert(int index, object? value) => throw ReadOnly();

    void IList.Remove(object? value) => throw ReadOnly();

    void ICollection.CopyTo(Array array, int index)
    {
        ArgumentNullException.ThrowIfNull(array);
        for (var i = 0; i < Count; i++)
        {
            array.SetValue(this[i], index + i);
        }
    }

    private static NotSupportedException ReadOnly() => new("the rules an action fired are read-only");
}
