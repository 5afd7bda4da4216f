using System.Numerics;
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
    public static AvroDecimal Of(decimal value)
    {
        var cents = Math.Round(value, Scale, MidpointRounding.ToEven) + 0.00m;
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(cents, bits);
        var unscaled = bits[2] == 0 ? new BigInteger(((ulong)(uint)bits[1] << 32) | (uint)bits[0]) : new BigInteger(decimal.Truncate(cents * 100m));
        return new AvroDecimal(bits[3] < 0 ? -unscaled : unscaled, Scale);
    }

    /// <summary>
    /// The value of an Avro decimal, as <c>(decimal)</c> gives it (no trailing zeros: 29.90 is 29.9) but
    /// without the boxing that costs (Apache.Avro converts through <c>object</c>).
    /// </summary>
    /// <exception cref="OverflowException">The value does not fit a decimal.</exception>
    public static decimal ToDecimal(AvroDecimal value)
    {
        var unscaled = value.UnscaledValue;
        if (value.Scale is < 0 or > 28 || unscaled < long.MinValue + 1 || unscaled > long.MaxValue)
        {
            return (decimal)value;
        }
        var magnitude = (long)unscaled;
        var (absolute, scale) = ((ulong)Math.Abs(magnitude), value.Scale);
        while (scale > 0 && absolute % 10 == 0)
        {
            absolute /= 10;
            scale--;
        }
        return new decimal((int)(uint)absolute, (int)(uint)(absolute >> 32), 0, magnitude < 0 && absolute != 0, (byte)scale);
    }
}
