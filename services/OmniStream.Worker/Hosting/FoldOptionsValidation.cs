using Microsoft.Extensions.Options;
using OmniStream.Customers.State;

namespace OmniStream.Worker.Hosting;

/// <summary>Validates <see cref="FoldOptions"/> at start, with an error naming the setting.</summary>
public sealed class FoldOptionsValidation : IValidateOptions<FoldOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FoldOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
