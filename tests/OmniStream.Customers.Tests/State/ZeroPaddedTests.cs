using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using MemoryPack;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.Tests.State;

/// <summary>
/// Equal stored records encode to equal bytes, whatever the padding of their nullable members held:
/// a commit writes a section only when its bytes changed, and a padding that differs made it rewrite
/// the moments of most customers at every commit.
/// </summary>
public class ZeroPaddedTests
{
    private static readonly DateTime At = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

    [Test]
    public void A_moment_decided_at_the_same_time_encodes_to_the_same_bytes_whatever_its_padding_held()
    {
        var clean = Moment(At);
        var dirty = Moment(WithPadding(At, 0x5A));

        Assert.That(dirty, Is.EqualTo(clean), "the same record");
        Assert.That(MemoryPackSerializer.Serialize(dirty), Is.EqualTo(MemoryPackSerializer.Serialize(clean)));
    }

    [Test]
    public void A_nullable_member_keeps_the_layout_it_had_so_records_stored_before_still_read()
    {
        var bytes = MemoryPackSerializer.Serialize(Moment(At));
        // The last members: DoneAt, then IsWaiting (a bool).
        var doneAt = bytes.AsSpan(bytes.Length - sizeof(bool) - Unsafe.SizeOf<DateTime?>(), Unsafe.SizeOf<DateTime?>());
        doneAt[1..8].Fill(0x5A);

        var read = MemoryPackSerializer.Deserialize<PendingDecision>(bytes);

        Assert.That(read!.DoneAt, Is.EqualTo(At), "padding written by MemoryPack's own formatter is ignored");
        Assert.That(MemoryPackSerializer.Deserialize<PendingDecision>(MemoryPackSerializer.Serialize(Moment(null)))!.DoneAt, Is.Null);
    }

    [Test]
    public void Every_nullable_unmanaged_member_of_a_stored_record_is_written_zero_padded()
    {
        var members = typeof(CustomerState).Assembly.GetTypes()
            .Where(type => type.GetCustomAttribute<MemoryPackableAttribute>() is not null)
            .SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Where(property => Nullable.GetUnderlyingType(property.PropertyType) is not null && property.GetCustomAttribute<MemoryPackIgnoreAttribute>() is null)
            .Where(property => property.DeclaringType!.Namespace != typeof(OmniStream.Customers.State.Legacy.LegacyCustomerState).Namespace)
            .ToList();

        Assert.That(members, Is.Not.Empty);
        Assert.That(members.Where(p => !p.CustomAttributes.Any(a => a.AttributeType.IsGenericType && a.AttributeType.GetGenericTypeDefinition() == typeof(ZeroPaddedAttribute<>)))
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}"), Is.Empty);
    }

    private static PendingDecision Moment(DateTime? doneAt) =>
        new("cart_idle", "cart_idle", At, At, Guid.Empty, Channel.WEB, null, ImmutableSortedDictionary<string, string>.Empty, doneAt);

    // A DateTime? as a struct copied from memory that held something else: its padding is not zero.
    private static DateTime? WithPadding(DateTime value, byte garbage)
    {
        Span<byte> memory = stackalloc byte[Unsafe.SizeOf<DateTime?>()];
        memory.Fill(garbage);
        memory[0] = 1;
        Unsafe.WriteUnaligned(ref memory[Unsafe.SizeOf<DateTime?>() - sizeof(long)], value);
        return Unsafe.ReadUnaligned<DateTime?>(ref memory[0]);
    }
}
