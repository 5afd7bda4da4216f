using Avro.IO;
using Avro.Specific;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;

namespace OmniStream.Decisions.Tests.Engine;

/// <summary>An action's score explanations go into its encoding straight from their numbers: the bytes read back as the texts the action shows.</summary>
public class FiredRulesTests
{
    [Test]
    public async Task An_actions_rules_read_back_from_its_encoding_as_they_read_in_memory()
    {
        var action = CartReminder();
        var serde = new AvroSerde<NextBestAction>(SchemaCatalog.Default);

        var encoded = await serde.SerializeAsync(action, "omni.actions.web");
        var texts = action.rulesFired.ToList();
        var read = await serde.DeserializeAsync(encoded);

        Assert.That(texts, Has.Some.StartsWith("score cart_reminder:").And.Some.Contains(" × value "), "an explanation, with its non-ASCII sign");
        Assert.That(read.rulesFired, Is.EqualTo(texts));
        Assert.That(await serde.SerializeAsync(read, "omni.actions.web"), Is.EqualTo(encoded), "the same bytes as the texts give");
    }

    [Test]
    public void A_score_explanation_names_each_figure_in_the_invariant_culture()
    {
        var action = CartReminder();

        var explanation = action.rulesFired.Single(r => r.StartsWith("score ", StringComparison.Ordinal));

        Assert.That(explanation, Does.Match(
            @"^score cart_reminder: \d+(\.\d{1,4})? = propensity \d+(\.\d{1,4})? \(prior \d+(\.\d+)?, posterior mean \d+(\.\d{1,4})? " +
            @"after \d+ sent, \d+ converted, arm [^)]+\) × value \d+(\.\d{1,2})? \([^)]+\) × weight \d+(\.\d{1,2})?$"));
    }

    [Test]
    public void Apache_Avros_writer_the_registrys_serializer_uses_writes_an_actions_rules()
    {
        var action = CartReminder();
        using var bytes = new MemoryStream();

        new SpecificDatumWriter<NextBestAction>(NextBestAction._SCHEMA).Write(action, new BinaryEncoder(bytes));
        bytes.Position = 0;
        var read = new SpecificDatumReader<NextBestAction>(NextBestAction._SCHEMA, NextBestAction._SCHEMA).Read(null!, new BinaryDecoder(bytes));

        Assert.That(read.rulesFired, Is.EqualTo(action.rulesFired.ToList()));
        Assert.That(read.reasonCodes, Is.EqualTo(action.reasonCodes.ToList()));
        Assert.That(read.parameters, Is.EqualTo(action.parameters));
    }

    // The reminder a consenting customer's idle cart brings, half an hour on.
    private static NextBestAction CartReminder()
    {
        var anna = new DecidedCustomer("anna").ConsentingEverywhere();
        var cart = anna.Events.CartUpdated(Channel.WEB, ("sku-1", 2, 10m));
        anna.Happens(cart);
        var action = anna.TimePasses(cart.occurredAt + TimeSpan.FromMinutes(30)).Single().Action!;
        return action;
    }
}
