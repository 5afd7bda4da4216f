using System.Buffers;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing.Contracts;

namespace OmniStream.Customers.Tests.State;

public class ProfileProjectionTests
{
    private static readonly FoldOptions Options = new();

    [Test]
    public void A_profile_filled_again_for_other_customers_is_the_one_made_afresh()
    {
        var rich = CustomerStateCodecTests.RichState();
        var anna = new Interactions("anna");
        var fold = new CustomerFold(Options);
        var oneLine = fold.ApplyAll(new CustomerState("anna"), [anna.CartUpdated(Channel.WEB, ("sku-1", 1, 5m))]);
        var noCart = fold.ApplyAll(new CustomerState("bob"), [new Interactions("bob").PageViewed(Channel.STORE)]);
        var threeLines = fold.ApplyAll(new CustomerState("cleo"), [new Interactions("cleo").CartUpdated(Channel.WEB, ("sku-1", 1, 5m), ("sku-2", 2, 7m), ("sku-3", 3, 9m))]);
        var reused = new CustomerProfile();

        // Lines dropped for a smaller cart are written into again for a larger one.
        foreach (var state in new[] { rich, threeLines, oneLine, noCart, threeLines, rich, threeLines })
        {
            Assert.That(Bytes(ProfileProjection.Fill(reused, state, Options)), Is.EqualTo(Bytes(ProfileProjection.Of(state, Options))), state.CustomerId);
        }
    }

    private static byte[] Bytes(CustomerProfile profile)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new AvroWriter(buffer);
        profile.WriteAvro(ref writer);
        return buffer.WrittenSpan.ToArray();
    }
}
