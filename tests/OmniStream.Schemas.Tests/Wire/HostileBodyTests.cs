using Avro.IO;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;

namespace OmniStream.Schemas.Tests.Wire;

/// <summary>Bodies whose length prefixes and counts lie: each fails as malformed, allocating about its own size, never what it claims.</summary>
public class HostileBodyTests
{
    private const int CartUpdatedBranch = 2;
    private const long AllocationBound = 64 * 1024;
    private readonly AvroSerde<InteractionEvent> _serde = new(SchemaCatalog.Default);

    [TestCase(int.MaxValue)]
    [TestCase(1L << 40)]
    [TestCase(100_000_000)]
    public async Task A_string_claiming_more_bytes_than_the_record_has_fails_without_allocating_them(long claimed) =>
        await AssertRejectedCheaplyAsync(encoder => encoder.WriteLong(claimed));

    [TestCase(int.MaxValue)]
    [TestCase(1L << 40)]
    [TestCase(-5)]
    public async Task An_array_claiming_more_items_than_the_record_has_bytes_fails_without_allocating_them(long items) =>
        await AssertRejectedCheaplyAsync(encoder =>
        {
            WriteEventUpToPayload(encoder, CartUpdatedBranch);
            encoder.WriteString("cart-1");
            encoder.WriteLong(items);
        });

    [TestCase(int.MaxValue)]
    [TestCase(100_000_000)]
    public async Task A_decimal_claiming_more_bytes_than_the_record_has_fails_without_allocating_them(long claimed) =>
        await AssertRejectedCheaplyAsync(encoder =>
        {
            WriteEventUpToPayload(encoder, CartUpdatedBranch);
            encoder.WriteString("cart-1");
            encoder.WriteLong(0);
            encoder.WriteLong(claimed);
        });

    [Test]
    public async Task A_union_branch_out_of_range_fails_as_malformed() =>
        await AssertRejectedCheaplyAsync(encoder => WriteEventUpToPayload(encoder, 1_000));

    private async Task AssertRejectedCheaplyAsync(Action<BinaryEncoder> body)
    {
        using var output = new MemoryStream();
        WireHeader.WriteSingleObject(output, SchemaCatalog.Fingerprint(InteractionEvent._SCHEMA));
        body(new BinaryEncoder(output));
        output.Write(new byte[16]);
        var bytes = output.ToArray();
        // Warm up the serde's reader for this schema, so that only the hostile record's cost is counted.
        await _serde.DeserializeAsync(await _serde.SerializeAsync(Samples.CartUpdatedOnWeb(), "t"));

        // Without a registry, decoding completes on this thread: its allocations are this thread's.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var decoding = _serde.DeserializeAsync(bytes).AsTask();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(decoding.IsFaulted, "the record decoded");
        var error = decoding.Exception!.InnerException as AvroDecodeException;
        Assert.That(error, Is.Not.Null, decoding.Exception.ToString());
        Assert.That(error!.Failure, Is.EqualTo(DecodeFailure.MalformedBody), error.Message);
        Assert.That(allocated, Is.LessThan(AllocationBound), $"bytes allocated to reject a record of {bytes.Length} bytes");
    }

    private static void WriteEventUpToPayload(BinaryEncoder encoder, int payloadBranch)
    {
        encoder.WriteString(Guid.NewGuid().ToString());
        encoder.WriteLong(1_700_000_000_000);
        encoder.WriteLong(1_700_000_000_000);
        encoder.WriteEnum(1);
        encoder.WriteUnionIndex(1);
        encoder.WriteString("anna");
        encoder.WriteUnionIndex(0);
        encoder.WriteUnionIndex(0);
        encoder.WriteUnionIndex(0);
        encoder.WriteUnionIndex(0);
        encoder.WriteUnionIndex(payloadBranch);
    }
}
