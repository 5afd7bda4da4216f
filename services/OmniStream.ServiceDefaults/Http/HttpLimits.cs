using System.ComponentModel.DataAnnotations;

namespace OmniStream.ServiceDefaults.Http;

/// <summary>Limits on what an HTTP request may carry. Section <c>OmniStream:Http</c>.</summary>
public sealed class HttpLimits
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OmniStream:Http";

    /// <summary>The longest id (customer, action) a request may name.</summary>
    public const int MaxIdLength = 256;

    /// <summary>The longest free text (an erasure's reason, an outcome's detail).</summary>
    public const int MaxTextLength = 2_000;

    /// <summary>The largest request body, in bytes (default 64 KiB); a larger one is answered 413.</summary>
    [Range(1_024, 64 * 1024 * 1024, ErrorMessage = "OmniStream:Http:MaxBodyBytes must be between 1 KiB and 64 MiB")]
    public long MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The first field of <paramref name="fields"/> longer than its limit, named, or null.</summary>
    public static string? TooLong(params (string Name, string? Value, int Max)[] fields) =>
        fields.FirstOrDefault(f => f.Value is not null && f.Value.Length > f.Max) is { Name: not null } field
            ? $"'{field.Name}' is {field.Value!.Length} characters long; at most {field.Max} are accepted"
            : null;
}
