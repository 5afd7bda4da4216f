using OmniStream.Decisions.Engine;
using OmniStream.Decisions.Experiments;
using OmniStream.Decisions.Learning;
using OmniStream.Decisions.Policies;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Tests.Engine;

public class ExperimentAndLearningTests
{
    private static readonly ExperimentDefinition Retention = DecidedCustomer.Shipped.Actions["retention_discount"].Experiment!;

    [Test]
    public void Customers_split_by_the_shares_and_always_land_in_the_same_arm()
    {
        var arms = Enumerable.Range(0, 10_000).Select(i => ExperimentAssigner.Variant(Retention, $"c-{i}")).GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());

        Assert.That(arms[ExperimentDefinition.Control], Is.InRange(850, 1150));
        Assert.That(arms["champion"], Is.InRange(4200, 4800));
        Assert.That(arms["challenger"], Is.InRange(4200, 4800));
        var first = ExperimentAssigner.Variant(Retention, "c-42");
        Assert.That(Enumerable.Range(0, 5).Select(_ => ExperimentAssigner.Variant(Retention, "c-42")), Is.All.EqualTo(first));
    }

    [Test]
    public void The_control_group_has_the_action_withheld_and_recorded_and_an_order_converts_it()
    {
        var customer = Enumerable.Range(0, 200).Select(i => $"c-{i}").First(id => ExperimentAssigner.Variant(Retention, id) == ExperimentDefinition.Control);
        var policies = DecidedCustomer.Shipped with
        {
            Moments = [.. DecidedCustomer.Shipped.Moments.Select(m => m.Name == "at_risk" ? m with { Actions = ["retention_discount"] } : m)],
        };
        var held = new DecidedCustomer(customer, policies).ConsentingEverywhere();

        var decision = held.TimePasses(held.Events.Now.AddDays(61), "at_risk").Single();
        held.Happens(held.Events.After(TimeSpan.FromDays(63)).OrderPlaced(Channel.WEB, 50m));

        Assert.That(decision.Kind, Is.EqualTo(DecisionKind.Withheld));
        Assert.That(decision.Action, Is.Null);
        Assert.That(held.State.Actions[0].Withheld, Is.True);
        Assert.That(held.State.Actions[0].Variant, Is.EqualTo(ExperimentDefinition.Control));
        Assert.That(held.State.Actions[0].ConvertedAt, Is.Not.Null, "an order within the attribution window converts the withheld action too");
    }

    [Test]
    public void The_action_that_converts_better_wins_most_decisions_once_learnt()
    {
        var policies = DecidedCustomer.Shipped;
        Assert.That(policies.Learning.SegmentOf(new HashSet<string> { "at_risk" }), Is.EqualTo("at_risk"), "at_risk is learnt apart");
        var wins = new Dictionary<string, int>();
        for (var i = 0; i < 400; i++)
        {
            var customer = new DecidedCustomer($"learner-{i}", policies).ConsentingEverywhere();
            customer.Stats[ArmStats.Key("retention_discount", "at_risk")] = new ArmStats(500, 10);
            customer.Stats[ArmStats.Key("retention_free_delivery", "at_risk")] = new ArmStats(500, 150);
            var record = customer.TimePasses(customer.Events.Now.AddDays(61), "at_risk").Single().Record!;
            wins[record.Action!] = wins.GetValueOrDefault(record.Action!) + 1;
        }

        Assert.That(wins.GetValueOrDefault("retention_free_delivery"), Is.GreaterThan(380), "30 % × 25 beats 2 % × 40 nearly always");
    }

    [Test]
    public void A_draw_is_the_same_for_the_same_seed_and_centres_on_the_posterior()
    {
        var stats = new ArmStats(1000, 200);
        var draw = PropensitySampler.Sample(0.1, 20, stats, 7);
        Assert.That(Enumerable.Range(0, 5).Select(_ => PropensitySampler.Sample(0.1, 20, stats, 7)), Is.All.EqualTo(draw));
        var mean = Enumerable.Range(0, 2000).Average(seed => PropensitySampler.Sample(0.1, 20, stats, (ulong)seed));
        Assert.That(mean, Is.EqualTo(PropensitySampler.Mean(0.1, 20, stats)).Within(0.005));
        Assert.That(PropensitySampler.Mean(0.1, 20, ArmStats.None), Is.EqualTo(0.1).Within(1e-9));
    }
}
