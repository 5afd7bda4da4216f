using System.Runtime.CompilerServices;
using MemoryPack;

namespace OmniStream.Customers.State;

/// <summary>
/// Writes a nullable unmanaged member (a <c>DateTime?</c>, an enum's <c>?</c>) in MemoryPack's own
/// layout for it (the whole <see cref="Nullable{T}"/>: its flag, padding, value) with the padding and,
/// when null, the value zeroed. MemoryPack copies the struct's memory as it is, and the padding of a
/// copied struct holds whatever was there: equal states would encode to different bytes, and a
/// commit, which writes a section only when its bytes changed, would rewrite it.
/// </summary>
/// <typeparam name="T">The member's underlying type.</typeparam>
public sealed class ZeroPaddedAttribute<T> : MemoryPackCustomFormatterAttribute<ZeroPaddedFormatter<T>, T?> where T : unmanaged
{
    /// <inheritdoc />
    public override ZeroPaddedFormatter<T> GetFormatter() => new();
}

/// <summary>The formatter of <see cref="ZeroPaddedAttribute{T}"/>; reads any padding, as MemoryPack wrote it before.</summary>
/// <typeparam name="T">The member's underlying type.</typeparam>
public sealed class ZeroPaddedFormatter<T> : MemoryPackFormatter<T?> where T : unmanaged
{
    // Nullable<T> is its flag then its value, the value aligned as T: the value ends the struct.
    private static readonly int Size = Unsafe.SizeOf<T?>();
    private static readonly int ValueOffset = Size - Unsafe.SizeOf<T>();

    /// <inheritdoc />
    public override void Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref T? value)
    {
        ref var start = ref writer.GetSpanReference(Size);
        Unsafe.InitBlockUnaligned(ref start, 0, (uint)Size);
        if (value is { } present)
        {
            start = 1;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, ValueOffset), present);
        }
        writer.Advance(Size);
    }

    /// <inheritdoc />
    public override void Deserialize(ref MemoryPackReader reader, scoped ref T? value)
    {
        ref var start = ref reader.GetSpanReference(Size);
        value = start != 0 ? Unsafe.ReadUnaligned<T>(ref Unsafe.Add(ref start, ValueOffset)) : null;
        reader.Advance(Size);
    }
}
