using OmniStream.Customers.Segments;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;

namespace OmniStream.Customers.Tests.Segments;

public class SegmentFileTests
{
    private const string Valid = """
        segments:
          vip:
            description: big spender
            when: monetary_window > 500
          at_risk:
            when: days_since_last_order > 60 and orders_lifetime >= 3
          detractor:
            when: last_nps <= 6
        """;

    private static readonly CustomerFold Folder = new(new FoldOptions());

    [Test]
    public void A_valid_file_gives_its_definitions_in_order()
    {
        var definitions = SegmentFile.Parse(Valid, "segments.yaml");

        Assert.That(definitions.Select(d => d.Name), Is.EqualTo(new[] { "vip", "at_risk", "detractor" }));
        Assert.That(definitions[1].Conditions, Is.EqualTo(new[] { new SegmentCondition("days_since_last_order", ">", 60), new SegmentCondition("orders_lifetime", ">=", 3) }));
        Assert.That(definitions[0].Description, Is.EqualTo("big spender"));
    }

    [TestCase("segments:\n  vip:\n    when: monetry_window > 500\n", 3, "unknown metric 'monetry_window'")]
    [TestCase("segments:\n  vip:\n    when: monetary_window > lots\n", 3, "'lots' is not a number")]
    [TestCase("segments:\n  vip:\n    when: monetary_window\n", 3, "has no comparison")]
    [TestCase("segments:\n  vip:\n    description: x\n", 3, "has no 'when' rule")]
    [TestCase("segments:\n  vip:\n    when: last_nps <= 6\n    whne: x\n", 4, "unknown field 'whne'")]
    [TestCase("segments:\n  vip: [unclosed\n", 3, "")]
    [TestCase("rules: {}\n", 1, "'segments' key")]
    public void A_bad_file_is_refused_naming_the_line(string yaml, int line, string problem)
    {
        var error = Assert.Throws<SegmentFileException>(() => SegmentFile.Parse(yaml, "segments.yaml"))!;

        Assert.That(error.Message, Does.StartWith($"segments.yaml line {line}: ").And.Contain(problem));
    }

    [Test]
    public void A_customer_is_in_the_segments_whose_rules_their_state_meets()
    {
        var definitions = SegmentFile.Parse(Valid, "segments.yaml");
        var anna = new Interactions("anna");
        var state = Folder.ApplyAll(new CustomerState("anna"),
            [anna.StoreOrder("o-1", 300m), anna.After(TimeSpan.FromDays(1)).StoreOrder("o-2", 250m), anna.SurveyAnswered(Channel.EMAIL, nps: 5)]);

        var segments = SegmentEvaluator.Evaluate(state, definitions, TimeSpan.FromDays(90));

        Assert.That(segments, Is.EqualTo(new[] { "detractor", "vip" }));
        var changes = SegmentEvaluator.Changes(new HashSet<string> { "at_risk", "vip" }, segments, definitions);
        Assert.That(changes, Is.EquivalentTo(new[] { new SegmentTransition("detractor", true, "last_nps <= 6"), new SegmentTransition("at_risk", false, definitions[1].Rule) }));
    }

    [Test]
    public void A_customer_without_orders_or_surveys_meets_no_rule_on_them()
    {
        var definitions = SegmentFile.Parse(Valid, "segments.yaml");
        var state = Folder.ApplyAll(new CustomerState("bob"), [new Interactions("bob").PageViewed(Channel.WEB)]);

        Assert.That(SegmentEvaluator.Evaluate(state, definitions, TimeSpan.FromDays(90)), Is.Empty);
    }
}
