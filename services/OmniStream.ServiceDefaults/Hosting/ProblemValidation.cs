using Microsoft.Extensions.Options;

namespace OmniStream.ServiceDefaults.Hosting;

/// <summary>Validates options at start by their own check, which names the setting at fault.</summary>
/// <typeparam name="T">The options.</typeparam>
public sealed class ProblemValidation<T>(Func<T, string?> problem) : IValidateOptions<T> where T : class
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, T options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return problem(options) is { } found ? ValidateOptionsResult.Fail(found) : ValidateOptionsResult.Success;
    }
}
