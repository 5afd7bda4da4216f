using Avro;
using OmniStream.Schemas.Catalog;

namespace OmniStream.Schemas.Tests.Catalog;

public class SchemaDocumentationTests
{
    [Test]
    public void Every_record_enum_and_field_has_a_doc()
    {
        var missing = new List<string>();
        foreach (var schema in ContractTypes.Current)
        {
            Visit(schema, missing, []);
        }

        Assert.That(missing, Is.Empty);
    }

    private static void Visit(Schema schema, List<string> missing, HashSet<string> seen)
    {
        switch (schema)
        {
            case RecordSchema record when seen.Add(record.Fullname):
                if (string.IsNullOrWhiteSpace(record.Documentation)) missing.Add(record.Fullname);
                foreach (var field in record.Fields)
                {
                    if (string.IsNullOrWhiteSpace(field.Documentation)) missing.Add($"{record.Fullname}.{field.Name}");
                    Visit(field.Schema, missing, seen);
                }
                break;
            case EnumSchema e when seen.Add(e.Fullname):
                if (string.IsNullOrWhiteSpace(e.Documentation)) missing.Add(e.Fullname);
                break;
            case UnionSchema union:
                foreach (var branch in union.Schemas) Visit(branch, missing, seen);
                break;
            case ArraySchema array:
                Visit(array.ItemSchema, missing, seen);
                break;
            case MapSchema map:
                Visit(map.ValueSchema, missing, seen);
                break;
        }
    }
}
