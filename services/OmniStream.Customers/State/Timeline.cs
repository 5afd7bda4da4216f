using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using MemoryPack;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>The timeline line of an interaction: its kind and a short description for people.</summary>
public static class Timeline
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_line;

    [ThreadStatic]
    private static byte[]? t_summary;

    /// <summary>The timeline record of <paramref name="e"/>.</summary>
    public static InteractionRecord Record(InteractionEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new InteractionRecord(e.eventId, e.occurredAt, e.channel, Kind(e), Encoding.UTF8.GetString(Summary(e.payload)));
    }

    /// <summary>
    /// The stored value of <paramref name="e"/>'s line (<see cref="CustomerLayout.EncodeLine"/> of its
    /// <see cref="Record"/>), written from the event: the description goes into the value as UTF-8
    /// without becoming a string (this runs for every event).
    /// </summary>
    public static byte[] Encode(InteractionEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var buffer = t_line ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        buffer.GetSpan(1)[0] = CustomerStateCodec.Binary;
        buffer.Advance(1);
        using (var options = MemoryPackWriterOptionalStatePool.Rent(MemoryPackSerializerOptions.Utf8))
        {
            var writer = new MemoryPackWriter<ArrayBufferWriter<byte>>(ref buffer, options);
            // InteractionRecord's layout, as MemoryPack writes it: its member count and unmanaged members, then its strings.
            writer.WriteUnmanagedWithObjectHeader(5, e.eventId, e.occurredAt, e.channel);
            writer.WriteString(Kind(e));
            WriteUtf8String(ref writer, Summary(e.payload));
            writer.Flush();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string Kind(InteractionEvent e) => e.payload?.GetType().Name ?? "Unknown";

    // A string as MemoryPack writes one in UTF-8: the complement of its byte count, its UTF-16 length, its bytes (an empty string is a zero count).
    private static void WriteUtf8String<TBuffer>(ref MemoryPackWriter<TBuffer> writer, ReadOnlySpan<byte> utf8) where TBuffer : IBufferWriter<byte>
    {
        if (utf8.IsEmpty)
        {
            writer.WriteCollectionHeader(0);
            return;
        }
        ref var at = ref writer.GetSpanReference(utf8.Length + 8);
        Unsafe.WriteUnaligned(ref at, ~utf8.Length);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 4), Encoding.UTF8.GetCharCount(utf8));
        utf8.CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref at, 8), utf8.Length));
        writer.Advance(utf8.Length + 8);
    }

    // The description in UTF-8, in the thread's buffer (valid until the next call on the thread).
    private static ReadOnlySpan<byte> Summary(object? payload)
    {
        var buffer = t_summary ??= new byte[256];
        int written;
        while (!TryDescribe(payload, buffer, out written))
        {
            buffer = t_summary = new byte[buffer.Length * 2];
        }
        return buffer.AsSpan(0, written);
    }

    private static bool TryDescribe(object? payload, Span<byte> into, out int written)
    {
        var invariant = CultureInfo.InvariantCulture;
        return payload switch
        {
            PageViewed p => Utf8.TryWrite(into, invariant, $"viewed {p.location}", out written),
            ProductViewed p => Utf8.TryWrite(into, invariant, $"viewed product {p.productId}", out written),
            CartUpdated c => c.lines.Count == 0
                ? Utf8.TryWrite(into, invariant, $"emptied cart {c.cartId}", out written)
                : Utf8.TryWrite(into, invariant, $"cart {c.cartId}: {c.lines.Count} line(s), {Amount.ToDecimal(c.total):0.00} {c.currency}", out written),
            CheckoutStarted c => Utf8.TryWrite(into, invariant, $"started checkout of cart {c.cartId}", out written),
            OrderPlaced o => o.storeId is { } store
                ? Utf8.TryWrite(into, invariant, $"ordered {o.orderId}: {Amount.ToDecimal(o.total):0.00} {o.currency} in store {store}", out written)
                : Utf8.TryWrite(into, invariant, $"ordered {o.orderId}: {Amount.ToDecimal(o.total):0.00} {o.currency}", out written),
            StoreVisited s => Utf8.TryWrite(into, invariant, $"visited store {s.storeId}", out written),
            AppOpened => Utf8.TryWrite(into, invariant, $"opened the app", out written),
            EmailOpened m => Utf8.TryWrite(into, invariant, $"opened email {m.messageId} ({m.campaignId})", out written),
            EmailClicked m => Utf8.TryWrite(into, invariant, $"clicked {m.url} in email {m.messageId}", out written),
            SupportTicketOpened t => Utf8.TryWrite(into, invariant, $"opened ticket {t.ticketId} about {t.topic}", out written),
            SupportTicketResolved t => Utf8.TryWrite(into, invariant, $"ticket {t.ticketId} resolved", out written),
            ChatMessageSent c => Utf8.TryWrite(into, invariant, $"chat: {c.intent}", out written),
            SurveyAnswered s => Utf8.TryWrite(into, invariant,
                $"answered survey {s.surveyId}{(s.nps is null ? "" : ", NPS ")}{s.nps}{(s.ces is null ? "" : ", CES ")}{s.ces}", out written),
            ConsentChanged c => Utf8.TryWrite(into, invariant, $"{(c.granted ? "granted" : "withdrew")} {c.purpose} consent on {c.consentChannel}", out written),
            Identified i => Utf8.TryWrite(into, invariant, $"identified by {i.method}", out written),
            ProfileUpdated p => Utf8.TryWrite(into, invariant, $"updated {string.Join(", ", p.attributes.Keys.Order(StringComparer.Ordinal))}", out written),
            ServiceBooked b => Utf8.TryWrite(into, invariant, $"booked {b.service} for {b.scheduledAt:yyyy-MM-dd HH:mm}", out written),
            DeviceTelemetry d => Utf8.TryWrite(into, invariant, $"device {d.deviceId} reported {d.metrics.Count} measurement(s)", out written),
            Tracked t => Utf8.TryWrite(into, invariant, $"tracked {t.name}", out written),
            _ => Utf8.TryWrite(into, invariant, $"interaction", out written),
        };
    }
}
