namespace OmniStream.Kafka;

/// <summary>TLS settings: files in PEM format. Without a CA file, the system's trusted CAs are used.</summary>
public sealed class KafkaTlsOptions
{
    /// <summary>The CA certificate(s) that signed the brokers' certificates.</summary>
    public string? CaLocation { get; set; }

    /// <summary>The client certificate, for mutual TLS.</summary>
    public string? CertificateLocation { get; set; }

    /// <summary>The client certificate's private key.</summary>
    public string? KeyLocation { get; set; }

    /// <summary>The private key's password, if it is encrypted. Never logged.</summary>
    public string? KeyPassword { get; set; }

    /// <summary>Whether the broker's host name must match its certificate (default true; turn off only for tests).</summary>
    public bool VerifyHostname { get; set; } = true;

    /// <summary>The first problem under <paramref name="path"/>; null when none.</summary>
    public string? Problem(string path)
    {
        foreach (var (name, file) in new[] { ("CaLocation", CaLocation), ("CertificateLocation", CertificateLocation), ("KeyLocation", KeyLocation) })
        {
            if (!string.IsNullOrEmpty(file) && !File.Exists(file))
            {
                return $"{path}:{name}: no file at '{file}'";
            }
        }
        return string.IsNullOrEmpty(CertificateLocation) != string.IsNullOrEmpty(KeyLocation)
            ? $"{path}:CertificateLocation and {path}:KeyLocation go together (mutual TLS)"
            : null;
    }
}
