using OmniStream.Decisions.Policies;

namespace OmniStream.Decisions.Tests.Policies;

public class PolicyFileTests
{
    private static readonly string ShippedText = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "policies.yaml"));

    [Test]
    public void The_shipped_policies_cover_every_moment_the_product_promises()
    {
        var policies = DecidedCustomer.Shipped;

        Assert.That(policies.Moments.Select(m => m.Name), Is.EquivalentTo(new[]
        {
            "cart_idle", "order_follow_up", "store_visit", "nps_detractor", "ticket_resolved", "at_risk", "booking_staff_note", "booking_reminder",
        }));
        Assert.That(policies.ContactRules.QuietHours!.ToString(), Is.EqualTo("21:00-08:00"));
        Assert.That(policies.ContactRules.Caps["EMAIL"], Is.EqualTo(new Cap(1, 3)));
    }

    [Test]
    public void A_moment_wait_can_be_shortened_for_demos_and_tests()
    {
        var shortened = PolicyFile.Parse(PolicyFile.WithDelay(ShippedText, "cart_idle", TimeSpan.FromSeconds(2)), "test");

        Assert.That(shortened.MomentNamed("cart_idle")!.After, Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [TestCase("actions: [cart_reminder]", "actions: [cart_remindr]", "action 'cart_remindr' is not in the catalog")]
    [TestCase("after: 30m", "after: half an hour", "is not a duration")]
    [TestCase("champion: { share: 45 }", "champion: { share: 50 }", "add up to 105, not 100")]
    [TestCase("when: cart_value > 0", "when: cart_valu > 0", "unknown metric 'cart_valu'")]
    [TestCase("on: StoreVisited", "on: StoreVisit", "'StoreVisit' is neither an interaction")]
    [TestCase("when: nps <= 6", "when: nps <= six", "'six' is not a number")]
    [TestCase("type: OFFER", "type: COUPON", "'COUPON' is not one of")]
    [TestCase("quiet_hours: 21:00-08:00", "quiet_hours: evenings", "not a span like 21:00-08:00")]
    [TestCase("propensity: 0.15", "propensity: 1.5", "between 0 and 1")]
    [TestCase("  min_gap: 2h", "  min_gap: 2h\n  minimum_gap: 2h", "unknown field 'minimum_gap'")]
    public void A_policy_file_that_does_not_validate_is_refused_naming_the_file_the_line_and_why(string valid, string broken, string reason)
    {
        var index = ShippedText.IndexOf(valid, StringComparison.Ordinal);
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"the shipped file has '{valid}'");
        var text = string.Concat(ShippedText.AsSpan(0, index), broken, ShippedText.AsSpan(index + valid.Length));
        var line = ShippedText[..index].Count(c => c == '\n') + 1;

        var error = Assert.Throws<PolicyFileException>(() => PolicyFile.Parse(text, "policies.yaml"))!;

        Assert.That(error.Message, Does.StartWith("policies.yaml line ").And.Contain(reason));
        Assert.That(error.Line, Is.InRange(line - 12, line + 1), error.Message);
    }
}
