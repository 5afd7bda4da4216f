using Avro;
using Avro.Generic;
using Avro.IO;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Schemas.Tests.Catalog;

/// <summary>
/// The contracts OmniStream writes for others (registered FULL_TRANSITIVE by <c>omnistream schemas register</c>): besides old
/// data reading with the current schema (<see cref="BackwardCompatibilityTests"/>), data written with the current schema
/// reads with every released version, so that a reader that has not upgraded goes on; and each released version reads
/// the data of every other.
/// </summary>
public class ForwardCompatibilityTests
{
    private static readonly string[] WrittenForOthers =
        [NextBestAction._SCHEMA.Fullname, CustomerProfile._SCHEMA.Fullname, SegmentChange._SCHEMA.Fullname, ErasureNotice._SCHEMA.Fullname, KpiUpdate._SCHEMA.Fullname];

    private static IEnumerable<ReleasedSchema> Released => SchemaCatalog.Default.Released.Where(r => WrittenForOthers.Contains(r.FullName));

    [TestCaseSource(nameof(Released))]
    public void Data_of_every_other_version_reads_with_this_release(ReleasedSchema reader)
    {
        var writers = SchemaCatalog.Default.Released.Where(r => r.FullName == reader.FullName).Select(r => r.Schema)
            .Append(ContractTypes.Current.Single(s => s.Fullname == reader.FullName));
        foreach (var writer in writers)
        {
            for (var branch = 0; branch < SampleDatum.BranchCount((RecordSchema)writer); branch++)
            {
                var bytes = AvroResolution.Write(writer, SampleDatum.For(writer, branch));
                Assert.DoesNotThrow(() => AvroResolution.Read(writer, reader.Schema, bytes), $"{reader.FullName} v{reader.Version} reading union branch {branch} of {writer}");
            }
        }
    }

    [Test]
    public void The_check_fails_for_a_change_an_old_reader_cannot_follow()
    {
        // An old reader of a field the new writer dropped, with no default to fill in.
        var old = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"string"},{"name":"b","type":"int"}]}""");
        var dropped = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}""");

        Assert.Throws<AvroException>(() => AvroResolution.Read(dropped, old, AvroResolution.Write(dropped, SampleDatum.For(dropped))));
    }
}
