using System.Net;

namespace OmniStream.Schemas.Registry;

/// <summary>The registry answered with an error (for example an unknown id or an incompatible schema).</summary>
public sealed class SchemaRegistryException : Exception
{
    /// <summary>Creates the error from the registry's answer.</summary>
    public SchemaRegistryException(HttpStatusCode status, int errorCode, string message)
        : base($"schema registry answered {(int)status} (error {errorCode}): {message}")
    {
        Status = status;
        ErrorCode = errorCode;
    }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The registry's own error code (40401 subject not found, 40403 schema not found, 409xx incompatible...).</summary>
    public int ErrorCode { get; }
}
