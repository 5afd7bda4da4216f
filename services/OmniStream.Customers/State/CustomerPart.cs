namespace OmniStream.Customers.State;

/// <summary>
/// A part of a customer's stored state (see <see cref="CustomerLayout"/>): a timeline line, by its
/// event id; an action, by its action id; or a section of the state (<see cref="StateSections"/>) other
/// than the core, which lies under the customer's key itself. Its <see cref="Suffix"/> is the kind byte
/// and the id's 16 bytes, or the section's number.
/// </summary>
/// <param name="Kind"><see cref="LineKind"/>, <see cref="ActionKind"/> or <see cref="SectionKind"/>.</param>
/// <param name="Id">The line's event id or the action's id (empty for a section).</param>
/// <param name="Section">The section's number (0 for a line or an action).</param>
public readonly record struct CustomerPart(byte Kind, Guid Id, int Section = 0)
{
    /// <summary>The kind byte of a timeline line.</summary>
    public const byte LineKind = (byte)'t';

    /// <summary>The kind byte of an action.</summary>
    public const byte ActionKind = (byte)'a';

    /// <summary>The kind byte of a section.</summary>
    public const byte SectionKind = (byte)'s';

    private const int IdSuffixLength = 17;
    private const int SectionSuffixLength = 2;

    // The store's separator between a key and its parts' suffixes (OmniStream.Streaming.State.KeyParts.Separator).
    private const byte PartSeparator = 0xFF;

    /// <summary>The timeline line of event <paramref name="eventId"/>.</summary>
    public static CustomerPart Line(Guid eventId) => new(LineKind, eventId);

    /// <summary>The action <paramref name="actionId"/>.</summary>
    public static CustomerPart Action(Guid actionId) => new(ActionKind, actionId);

    /// <summary>Section <paramref name="section"/> of the state (not the core).</summary>
    public static CustomerPart OfSection(int section) => new(SectionKind, Guid.Empty, section);

    /// <summary>The part's suffix in the store's key.</summary>
    public byte[] Suffix
    {
        get
        {
            var suffix = new byte[Kind == SectionKind ? SectionSuffixLength : IdSuffixLength];
            Write(suffix);
            return suffix;
        }
    }

    /// <summary>The key of this part of the customer whose key is <paramref name="customerKey"/>: the key, the parts' separator (0xFF) and the suffix.</summary>
    public byte[] KeyOf(byte[] customerKey)
    {
        ArgumentNullException.ThrowIfNull(customerKey);
        var key = new byte[customerKey.Length + 1 + (Kind == SectionKind ? SectionSuffixLength : IdSuffixLength)];
        customerKey.CopyTo(key, 0);
        key[customerKey.Length] = PartSeparator;
        Write(key.AsSpan(customerKey.Length + 1));
        return key;
    }

    /// <summary>The part whose suffix is <paramref name="suffix"/>; false when it names none.</summary>
    public static bool TryRead(ReadOnlySpan<byte> suffix, out CustomerPart part)
    {
        part = default;
        if (suffix.Length == SectionSuffixLength && suffix[0] == SectionKind && suffix[1] is > StateSections.Core and < StateSections.Count)
        {
            part = OfSection(suffix[1]);
            return true;
        }
        if (suffix.Length != IdSuffixLength || suffix[0] is not (LineKind or ActionKind))
        {
            return false;
        }
        part = new CustomerPart(suffix[0], new Guid(suffix[1..]));
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        LineKind => $"timeline line {Id}",
        ActionKind => $"action {Id}",
        _ => $"section {Section}",
    };

    private void Write(Span<byte> suffix)
    {
        suffix[0] = Kind;
        if (Kind == SectionKind)
        {
            suffix[1] = (byte)Section;
        }
        else
        {
            Id.TryWriteBytes(suffix[1..]);
        }
    }
}
