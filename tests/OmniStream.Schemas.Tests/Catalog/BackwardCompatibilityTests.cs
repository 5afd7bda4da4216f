using Avro;
using Avro.Generic;
using Avro.IO;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;

namespace OmniStream.Schemas.Tests.Catalog;

/// <summary>Data written with any released schema stays readable with the current one.</summary>
public class BackwardCompatibilityTests
{
    private static IEnumerable<ReleasedSchema> Released => SchemaCatalog.Default.Released;

    [Test]
    public void Every_contract_has_a_released_history()
    {
        var releasedNames = Released.Select(r => r.FullName).ToHashSet();

        Assert.That(ContractTypes.Current.Select(s => s.Fullname), Is.SubsetOf(releasedNames),
            "run: dotnet run --project tools/OmniStream.SchemaGen -- schemas --release");
    }

    [Test]
    public void The_latest_release_of_each_contract_is_the_current_schema()
    {
        foreach (var current in ContractTypes.Current)
        {
            var latest = Released.Where(r => r.FullName == current.Fullname).MaxBy(r => r.Version)!;
            Assert.That(SchemaNormalization.ToParsingForm(latest.Schema), Is.EqualTo(SchemaNormalization.ToParsingForm(current)),
                $"{current.Name} changed since v{latest.Version}: release it (dotnet run --project tools/OmniStream.SchemaGen -- schemas --release)");
        }
    }

    [TestCaseSource(nameof(Released))]
    public void Old_data_of_every_payload_branch_is_read_with_the_current_schema(ReleasedSchema released)
    {
        var current = ContractTypes.Current.Single(s => s.Fullname == released.FullName);
        var old = (RecordSchema)released.Schema;

        for (var branch = 0; branch < SampleDatum.BranchCount(old); branch++)
        {
            var bytes = AvroResolution.Write(old, SampleDatum.For(old, branch));
            Assert.DoesNotThrow(() => AvroResolution.Read(old, current, bytes), $"{released.FullName} v{released.Version}, union branch {branch}");
        }
    }

    [Test]
    public async Task The_serde_reads_single_object_data_written_with_a_released_schema()
    {
        var v1 = Released.Single(r => r.FullName == InteractionEvent._SCHEMA.Fullname && r.Version == 1).Schema;
        using var output = new MemoryStream();
        WireHeader.WriteSingleObject(output, SchemaCatalog.Fingerprint(v1));
        new GenericDatumWriter<object?>(v1).Write(SampleDatum.For(v1), new BinaryEncoder(output));

        var decoded = await new AvroSerde<InteractionEvent>(SchemaCatalog.Default).DeserializeAsync(output.ToArray());

        Assert.That(decoded.payload, Is.InstanceOf<PageViewed>());
    }

    [Test]
    public void The_check_fails_for_a_change_that_breaks_old_data()
    {
        // A new field without a default cannot be filled in when old data is read.
        var old = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}""");
        var broken = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"string"},{"name":"b","type":"int"}]}""");
        var bytes = AvroResolution.Write(old, SampleDatum.For(old));

        Assert.Throws<AvroException>(() => AvroResolution.Read(old, broken, bytes));
    }
}
