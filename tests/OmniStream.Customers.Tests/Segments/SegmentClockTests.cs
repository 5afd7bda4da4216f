using OmniStream.Customers.Segments;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;

namespace OmniStream.Customers.Tests.Segments;

public class SegmentClockTests
{
    private static readonly CustomerFold Folder = new(new FoldOptions());
    private static readonly TimeSpan Window = TimeSpan.FromDays(90);
    private static readonly IReadOnlyList<SegmentDefinition> Rules = SegmentFile.Parse("""
        segments:
          at_risk:
            when: days_since_last_order > 60 and orders_lifetime >= 3
          vip:
            when: monetary_window > 500
        """, "segments.yaml");

    [Test]
    public void A_customer_who_goes_silent_is_due_for_review_when_the_days_since_their_last_order_pass_the_threshold()
    {
        var anna = new Interactions("anna");
        var state = Folder.ApplyAll(new CustomerState("anna"), [anna.OrderPlaced(Channel.WEB, 10m), anna.After(TimeSpan.FromDays(5)).OrderPlaced(Channel.WEB, 10m),
            anna.After(TimeSpan.FromDays(5)).OrderPlaced(Channel.STORE, 10m)]);
        var last = anna.Now;

        var afterLast = SegmentClock.NextChange(state, Rules, Window, last.AddHours(1));
        var afterSixtyDays = SegmentClock.NextChange(state, Rules, Window, last.AddDays(60).AddHours(1));

        Assert.That(afterLast, Is.EqualTo(last.AddDays(60)), "the first order leaves the window later; 60 whole days come first");
        Assert.That(afterSixtyDays, Is.EqualTo(last.AddDays(61)), "the day the rule's '> 60' holds");
        Assert.That(SegmentEvaluator.Evaluate(state, Rules, Window, afterSixtyDays), Does.Contain("at_risk"));
        Assert.That(SegmentEvaluator.Evaluate(state, Rules, Window, afterSixtyDays!.Value.AddSeconds(-1)), Does.Not.Contain("at_risk"));
    }

    [Test]
    public void A_vip_is_due_for_review_when_their_big_order_leaves_the_window()
    {
        var anna = new Interactions("anna");
        var state = Folder.ApplyAll(new CustomerState("anna"), [anna.OrderPlaced(Channel.WEB, 900m)]);

        var next = SegmentClock.NextChange(state, [Rules[1]], Window, anna.Now.AddDays(1));

        Assert.That(next, Is.EqualTo(anna.Now + Window));
        Assert.That(SegmentEvaluator.Evaluate(state, Rules, Window, next), Does.Not.Contain("vip"));
        Assert.That(SegmentEvaluator.Evaluate(state, Rules, Window, next!.Value.AddSeconds(-1)), Does.Contain("vip"));
    }

    [Test]
    public void Rules_that_time_cannot_change_need_no_review()
    {
        var rules = SegmentFile.Parse("segments:\n  detractor:\n    when: last_nps <= 6\n", "segments.yaml");
        var anna = new Interactions("anna");
        var state = Folder.ApplyAll(new CustomerState("anna"), [anna.SurveyAnswered(Channel.EMAIL, nps: 2)]);

        Assert.That(SegmentClock.NextChange(state, rules, Window, anna.Now), Is.Null);
    }
}
