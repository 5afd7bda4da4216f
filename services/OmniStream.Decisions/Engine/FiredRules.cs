using System.Collections;
using OmniStream.Schemas.Wire;

namespace OmniStream.Decisions.Engine;

/// <summary>
/// The rules an action fired, as the action carries them: texts, and the candidates' score
/// explanations, which go into the action's encoding as UTF-8 straight from their numbers and are
/// made strings only when read. Read-only once built.
/// </summary>
internal sealed class FiredRules(int count, double priorStrength) : IList<string>, IReadOnlyList<string>, IAvroStrings
{
    private readonly string?[] _texts = new string?[count];
    private readonly Candidate?[] _explained = new Candidate?[count];

    /// <inheritdoc cref="IList{T}.this" />
    public string this[int index]
    {
        get => _texts[index] ??= _explained[index]?.Explain(priorStrength) ?? throw new InvalidOperationException($"rule {index} was never set");
        set => throw ReadOnly();
    }

    /// <inheritdoc />
    public int Count => _texts.Length;

    /// <inheritdoc />
    public bool IsReadOnly => true;

    /// <summary>Sets rule <paramref name="index"/> to <paramref name="text"/> (while the rules are built).</summary>
    public void Set(int index, string text) => _texts[index] = text;

    /// <summary>Sets rule <paramref name="index"/> to the explanation of <paramref name="candidate"/>'s score (while the rules are built).</summary>
    public void Explain(int index, Candidate candidate) => _explained[index] = candidate;

    /// <inheritdoc />
    public void WriteItem(int index, ref AvroWriter writer)
    {
        if (_texts[index] is { } text)
        {
            writer.WriteString(text);
        }
        else
        {
            (_explained[index] ?? throw new InvalidOperationException($"rule {index} was never set")).WriteExplanation(ref writer, priorStrength);
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

    private static NotSupportedException ReadOnly() => new("the rules an action fired are read-only");
}
