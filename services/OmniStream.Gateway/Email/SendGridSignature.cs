using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OmniStream.Adapters.Email;

namespace OmniStream.Gateway.Email;

/// <summary>
/// Checks a request of SendGrid's signed Event Webhook: the <c>X-Twilio-Email-Event-Webhook-Signature</c>
/// header is the ECDSA (P-256, SHA-256, DER) signature of the <c>X-Twilio-Email-Event-Webhook-Timestamp</c>
/// header followed by the body's bytes, by SendGrid's key.
/// </summary>
public sealed class SendGridSignature(SendGridOptions options, TimeProvider time) : IDisposable
{
    /// <summary>The signature's header.</summary>
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";

    /// <summary>The signed timestamp's header (seconds since 1970).</summary>
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    private readonly ECDsa? _key = options.IsConfigured ? Import(options.VerificationKey) : null;

    /// <summary>The key <paramref name="verificationKey"/> (base64 SubjectPublicKeyInfo, as SendGrid shows it, with or without PEM lines).</summary>
    /// <exception cref="FormatException">It is not base64.</exception>
    /// <exception cref="CryptographicException">It is not an EC public key.</exception>
    public static ECDsa Import(string verificationKey)
    {
        var base64 = string.Concat(verificationKey.Split('\n').Select(l => l.Trim()).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(base64), out _);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Null when <paramref name="body"/> is signed by SendGrid, recently; else why not.</summary>
    public string? Problem(string? signature, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (_key is null)
        {
            return "no verification key";
        }
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp))
        {
            return $"the request is not signed: {SignatureHeader} and {TimestampHeader} are required (turn on the signed Event Webhook)";
        }
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253402300799)
        {
            return $"{TimestampHeader} is not a time in seconds";
        }
        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return $"{SignatureHeader} is not base64";
        }
        var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + body.Length];
        var length = Encoding.UTF8.GetBytes(timestamp, signed);
        body.CopyTo(signed.AsSpan(length));
        if (!_key.VerifyData(signed, decoded, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
        {
            return "the signature does not match the body (not SendGrid's, or the body was changed)";
        }
        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
        return age > options.MaxAge || age < -options.MaxAge
            ? $"the signed timestamp is {Math.Abs(age.TotalMinutes):0} minutes away from now, more than {SendGridMapping.Section}:MaxAge ({options.MaxAge})"
            : null;
    }

    /// <inheritdoc />
    public void Dispose() => _key?.Dispose();
}
