using System.Security.Cryptography;
using OmniStream.Adapters.Email;

namespace OmniStream.Gateway.Email;

/// <summary>
/// SendGrid's signed Event Webhook. Section <c>OmniStream:Email:SendGrid</c> (with
/// <see cref="SendGridMapping"/>); no verification key, no endpoint.
/// </summary>
public sealed class SendGridOptions
{
    /// <summary>The verification key SendGrid shows once the signed Event Webhook is on (base64, an ECDSA P-256 public key).</summary>
    public string VerificationKey { get; set; } = "";

    /// <summary>How old a signed request may be (its signed timestamp; default 10 minutes): older ones are refused, so that a captured request cannot be played again later.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Whether the endpoint is on.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(VerificationKey);

    /// <summary>The first problem, naming the setting; null when none.</summary>
    public string? Problem()
    {
        if (!IsConfigured)
        {
            return null;
        }
        if (MaxAge <= TimeSpan.Zero || MaxAge > TimeSpan.FromHours(1))
        {
            return $"{SendGridMapping.Section}:MaxAge must be between 0 and 1 hour";
        }
        try
        {
            using var key = SendGridSignature.Import(VerificationKey);
            return key.KeySize == 256 ? null : $"{SendGridMapping.Section}:VerificationKey must be a P-256 key (SendGrid's), not {key.KeySize} bits";
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return $"{SendGridMapping.Section}:VerificationKey is not an ECDSA public key in base64 (copy it from SendGrid's Mail Settings, Signed Event Webhook)";
        }
    }
}
