using System.Globalization;
using System.Text.Json;
using OmniStream.Decisions.Experiments;
using OmniStream.Decisions.Policies;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;
using OmniStream.Worker.Definitions;

namespace OmniStream.Worker.Tests.Driven;

/// <summary>An experiment's control group on the stage test driver: the action is withheld, recorded, converted by an order, and counted per variant.</summary>
public class ExperimentScenarioTests
{
    private static readonly ExperimentDefinition Retention =
        PolicyFile.Parse(File.ReadAllText(ShippedPolicies.File), "policies.yaml").Actions["retention_discount"].Experiment!;

    [Test]
    public async Task A_customer_in_the_control_group_gets_nothing_and_their_order_still_counts_for_the_control_variant()
    {
        // Only the experiment's offer, so that it is the one chosen whatever the draw.
        const string BothOffers = "actions: [retention_discount, retention_free_delivery]";
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30), policies => policies.Contains(BothOffers, StringComparison.Ordinal)
            ? policies.Replace(BothOffers, "actions: [retention_discount]", StringComparison.Ordinal)
            : throw new InvalidOperationException($"the shipped at_risk moment no longer reads '{BothOffers}'"));
        var id = Enumerable.Range(0, 1_000).Select(_ => WorkerHarness.Unique("rita")).First(c => ExperimentAssigner.Variant(Retention, c) == ExperimentDefinition.Control);
        var rita = new Interactions(id, worker.Now.AddDays(-70));
        await worker.GrantMarketingAsync(rita);
        await worker.PublishAsync(rita.After(TimeSpan.FromMinutes(1)).StoreOrder("o1-" + id, 40m));
        await worker.PublishAsync(rita.After(TimeSpan.FromDays(5)).StoreOrder("o2-" + id, 30m));
        // The last order 61 days ago less 3 seconds: she enters at_risk by time alone 3 seconds from now.
        await worker.PublishAsync(rita.After(worker.Now.AddDays(-61).AddSeconds(3) - rita.Now).StoreOrder("o3-" + id, 20m));
        await worker.AdvanceAsync(TimeSpan.FromSeconds(4), step: TimeSpan.FromSeconds(1));

        var held = worker.ViewWhere(id, v => v.GetProperty("actions").GetArrayLength() == 1, "the withheld offer").GetProperty("actions")[0];
        Assert.That(held.GetProperty("withheld").GetBoolean(), Is.True);
        Assert.That(held.GetProperty("variant").GetString(), Is.EqualTo(ExperimentDefinition.Control));
        Assert.That(worker.ActionsFor(id), Is.Empty, "nothing sent to a customer in the control group");

        await worker.PublishAsync(rita.After(worker.Now - rita.Now).OrderPlaced(Channel.WEB, 55m));
        worker.ViewWhere(id, v => v.GetProperty("actions")[0].TryGetProperty("convertedAt", out var at) && at.ValueKind == JsonValueKind.String,
            "the order converting the withheld offer");

        var decidedAt = DateTime.Parse(held.GetProperty("decidedAt").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        var minute = new DateTime(decidedAt.Ticks - decidedAt.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
        var counts = worker.Kpis(minute, "action:OFFER/control")?.GetProperty("counts") ?? throw new AssertionException("no KPI cell for the control variant");
        Assert.That(counts.GetProperty("actionsConverted").GetInt64(), Is.EqualTo(1));
        Assert.That(counts.GetProperty("actionsWithheld").GetInt64(), Is.EqualTo(1));
        Assert.That(counts.GetProperty("actionsSent").GetInt64(), Is.Zero);
    }
}
