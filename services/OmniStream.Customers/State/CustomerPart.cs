namespace OmniStream.Customers.State;

/// <summary>
/// A part of a customer's stored state (see <see cref="CustomerLayout"/>): a timeline line, by its
/// event id, or an action, by its action id. Its <see cref="Suffix"/> is the kind byte and the id's 16 bytes.
/// </summary>
/// <param name="Kind"><see cref="LineKind"/> or <see cref="ActionKind"/>.</param>
/// <param name="Id">The line's event id or the action's id.</param>
public readonly record struct CustomerPart(byte Kind, Guid Id)
{
    /// <summary>The kind byte of a timeline line.</summary>
    public const byte LineKind = (byte)'t';

    /// <summary>The kind byte of an action.</summary>
    public const byte ActionKind = (byte)'a';

    private const int SuffixLength = 17;

    // The store's separator between a key and its parts' suffixes (OmniStream.Streaming.State.KeyParts.Separator).
    private const byte PartSeparator = 0xFF;

    /// <summary>The timeline line of event <paramref name="eventId"/>.</summary>
    public static CustomerPart Line(Guid eventId) => new(LineKind, eventId);

    /// <summary>The action <paramref name="actionId"/>.</summary>
    public static CustomerPart Action(Guid actionId) => new(ActionKind, actionId);

    /// <summary>The part's suffix in the store's key.</summary>
    public byte[] Suffix
    {
        get
        {
            var suffix = new byte[SuffixLength];
            suffix[0] = Kind;
            Id.TryWriteBytes(suffix.AsSpan(1));
            return suffix;
        }
    }

    /// <summary>The key of this part of the customer whose key is <paramref name="customerKey"/>: the key, the parts' separator (0xFF) and the suffix.</summary>
    public byte[] KeyOf(byte[] customerKey)
    {
        ArgumentNullException.ThrowIfNull(customerKey);
        var key = new byte[customerKey.Length + 1 + SuffixLength];
        customerKey.CopyTo(key, 0);
        key[customerKey.Length] = PartSeparator;
        key[customerKey.Length + 1] = Kind;
        Id.TryWriteBytes(key.AsSpan(customerKey.Length + 2));
        return key;
    }

    /// <summary>The part whose suffix is <paramref name="suffix"/>; false when it names none.</summary>
    public static bool TryRead(ReadOnlySpan<byte> suffix, out CustomerPart part)
    {
        part = default;
        if (suffix.Length != SuffixLength || suffix[0] is not (LineKind or ActionKind))
        {
            return false;
        }
        part = new CustomerPart(suffix[0], new Guid(suffix[1..]));
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{(Kind == LineKind ? "timeline line" : "action")} {Id}";
}
