using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;

namespace OmniStream.Schemas.Tests;

internal static class Samples
{
    public static InteractionEvent CartUpdatedOnWeb() => new Interactions("anna").CartUpdated(Channel.WEB, ("sku-1", 2, 19.99m));
}
