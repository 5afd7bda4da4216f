using Microsoft.Extensions.Logging.Abstractions;
using OmniStream.Customers.Segments;
using OmniStream.Worker.Definitions;

namespace OmniStream.Worker.Tests;

public class SegmentCatalogTests
{
    private TemporaryDefinitionFile _file = null!;

    [SetUp]
    public void CreateFile() => _file = new TemporaryDefinitionFile();

    [TearDown]
    public void DeleteFile() => _file.Dispose();

    private SegmentCatalog Catalog() => new(new SegmentOptions { File = _file.Path }, NullLogger<SegmentCatalog>.Instance);

    private void Write(string yaml, int version) => _file.Write(yaml, version);

    [Test]
    public void A_changed_file_is_read_again_and_a_bad_one_is_refused_while_the_previous_definitions_stay()
    {
        Write("segments:\n  vip:\n    when: monetary_window > 500\n", 1);
        var catalog = Catalog();

        Write("segments:\n  vip:\n    when: monetary_window > 900\n  detractor:\n    when: last_nps <= 6\n", 2);
        catalog.ReloadIfChanged();
        Assert.That(catalog.Current.Select(d => d.Rule), Is.EqualTo(new[] { "monetary_window > 900", "last_nps <= 6" }));

        Write("segments:\n  vip:\n    when: monetary_window >> 900\n", 3);
        catalog.ReloadIfChanged();
        Assert.That(catalog.Current.Select(d => d.Rule), Is.EqualTo(new[] { "monetary_window > 900", "last_nps <= 6" }));
    }

    [Test]
    public void A_bad_file_at_start_stops_the_worker_naming_the_line()
    {
        Write("segments:\n  vip:\n    when: monetary > 500\n", 1);

        var error = Assert.Throws<SegmentFileException>(() => Catalog())!;

        Assert.That(error.Message, Does.Contain("line 3").And.Contain("unknown metric 'monetary'"));
    }

    [Test]
    public void No_file_means_no_segments()
    {
        Assert.That(Catalog().Current, Is.Empty);
    }
}
