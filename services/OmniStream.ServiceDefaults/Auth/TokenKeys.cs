using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace OmniStream.ServiceDefaults.Auth;

/// <summary>Reads the asymmetric keys of bearer tokens: an EC or RSA key, as PEM or as the base64 of its DER.</summary>
public static class TokenKeys
{
    /// <summary>The public key in <paramref name="text"/>, for validating tokens; false when it is none.</summary>
    public static bool TryReadPublic(string text, out AsymmetricSecurityKey? key)
    {
        key = Read(text, isPrivate: false);
        return key is not null;
    }

    /// <summary>The private key in <paramref name="text"/>, and the algorithm it signs with (ES256/ES384/ES512 or RS256).</summary>
    /// <exception cref="FormatException">The text holds no EC or RSA private key.</exception>
    public static (AsymmetricSecurityKey Key, string Algorithm) ReadPrivate(string text)
    {
        var key = Read(text, isPrivate: true) ?? throw new FormatException("not an EC or RSA private key (PEM, e.g. 'openssl ecparam -name prime256v1 -genkey -noout')");
        return (key, AlgorithmOf(key));
    }

    /// <summary>The algorithms a token signed with <paramref name="key"/> may name.</summary>
    public static string AlgorithmOf(AsymmetricSecurityKey key) => key switch
    {
        ECDsaSecurityKey { ECDsa.KeySize: 521 } => SecurityAlgorithms.EcdsaSha512,
        ECDsaSecurityKey { ECDsa.KeySize: 384 } => SecurityAlgorithms.EcdsaSha384,
        ECDsaSecurityKey => SecurityAlgorithms.EcdsaSha256,
        _ => SecurityAlgorithms.RsaSha256,
    };

    private static AsymmetricSecurityKey? Read(string text, bool isPrivate)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var ec = ECDsa.Create();
        if (TryImport(ec, text, isPrivate))
        {
            return new ECDsaSecurityKey(ec);
        }
        ec.Dispose();
        var rsa = RSA.Create();
        if (TryImport(rsa, text, isPrivate))
        {
            return new RsaSecurityKey(rsa);
        }
        rsa.Dispose();
        return null;
    }

    private static bool TryImport(AsymmetricAlgorithm algorithm, string text, bool isPrivate)
    {
        try
        {
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                algorithm.ImportFromPem(text);
                // A private key's PEM also holds the public key: a public key must not be taken for a private one.
                return !isPrivate || HasPrivate(algorithm);
            }
            var der = Convert.FromBase64String(text.Trim());
            if (isPrivate)
            {
                algorithm.ImportPkcs8PrivateKey(der, out _);
            }
            else
            {
                algorithm.ImportSubjectPublicKeyInfo(der, out _);
            }
            return true;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or FormatException)
        {
            return false;
        }
    }

    private static bool HasPrivate(AsymmetricAlgorithm algorithm)
    {
        try
        {
            return algorithm switch
            {
                ECDsa ec => ec.ExportParameters(includePrivateParameters: true).D is not null,
                RSA rsa => rsa.ExportParameters(includePrivateParameters: true).D is not null,
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
