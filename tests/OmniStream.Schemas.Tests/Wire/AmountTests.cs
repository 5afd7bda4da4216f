using Avro;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Schemas.Tests.Wire;

/// <summary>Amounts to and from Avro decimals without boxing, giving what Apache.Avro's conversions give.</summary>
public class AmountTests
{
    [Test]
    public void An_amount_reads_back_as_the_decimal_Apache_Avro_gives_to_the_last_bit()
    {
        var random = new Random(11);
        decimal[] edges = [0m, 0.01m, -0.01m, 10m, 29.90m, -5.5m, 100.00m, 92233720368547758.07m, -92233720368547758.07m, 79228162514264337593543950.33m];
        foreach (var value in edges.Concat(Enumerable.Range(0, 2000).Select(_ => Math.Round((decimal)(random.NextDouble() - 0.5) * random.Next(1, 10_000_000), random.Next(0, 4)))))
        {
            var amount = Amount.Of(value);

            Assert.That(amount, Is.EqualTo(new AvroDecimal(Math.Round(value, 2, MidpointRounding.ToEven) + 0.00m)), $"{value} as an amount");
            Assert.That(decimal.GetBits(Amount.ToDecimal(amount)), Is.EqualTo(decimal.GetBits((decimal)amount)), $"{value} read back");
        }
    }
}
