using Avro;

namespace OmniStream.Schemas.Contracts;

/// <summary>Money amounts as the contracts carry them: Avro decimals of scale 2.</summary>
public static class Amount
{
    /// <summary>The scale of every amount in the schemas.</summary>
    public const int Scale = 2;

    /// <summary>
    /// <paramref name="value"/> rounded to cents, with exactly <see cref="Scale"/> decimals
    /// (Avro refuses a decimal whose scale differs from the schema's, so 10m must travel as 10.00m).
    /// </summary>
    public static AvroDecimal Of(decimal value) => new(Math.Round(value, Scale, MidpointRounding.ToEven) + 0.00m);
}
