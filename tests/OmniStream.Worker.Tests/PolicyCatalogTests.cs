using Microsoft.Extensions.Logging.Abstractions;
using OmniStream.Decisions.Policies;
using OmniStream.Worker.Definitions;

namespace OmniStream.Worker.Tests;

public class PolicyCatalogTests
{
    private TemporaryDefinitionFile _file = null!;

    [SetUp]
    public void CreateFile() => _file = new TemporaryDefinitionFile();

    [TearDown]
    public void DeleteFile() => _file.Dispose();

    private PolicyCatalog Catalog() => new(new PolicyOptions { File = _file.Path }, NullLogger<PolicyCatalog>.Instance);

    private void Write(string yaml, int version) => _file.Write(yaml, version);

    [Test]
    public void A_changed_policy_file_is_read_again_and_a_bad_one_is_refused_while_the_policies_in_force_stay()
    {
        Write(File.ReadAllText(ShippedPolicies.File), 1);
        var catalog = Catalog();
        Assert.That(catalog.Current.MomentNamed("cart_idle")!.After, Is.EqualTo(TimeSpan.FromMinutes(30)));

        Write(PolicyFile.WithDelay(File.ReadAllText(ShippedPolicies.File), "cart_idle", TimeSpan.FromMinutes(45)), 2);
        catalog.ReloadIfChanged();
        Assert.That(catalog.Current.MomentNamed("cart_idle")!.After, Is.EqualTo(TimeSpan.FromMinutes(45)));

        Write(File.ReadAllText(ShippedPolicies.File).Replace("after: 30m", "after: later", StringComparison.Ordinal), 3);
        catalog.ReloadIfChanged();
        Assert.That(catalog.Current.MomentNamed("cart_idle")!.After, Is.EqualTo(TimeSpan.FromMinutes(45)), "the refused file changed nothing");
    }

    [Test]
    public void No_policy_file_means_no_moment_and_no_action()
    {
        Assert.That(Catalog().Current.Moments, Is.Empty);
    }
}
