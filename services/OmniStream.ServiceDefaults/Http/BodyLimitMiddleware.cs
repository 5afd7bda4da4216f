using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OmniStream.ServiceDefaults.Http;

/// <summary>
/// Refuses bodies over <see cref="HttpLimits.MaxBodyBytes"/> with 413 and a body that says so:
/// at once when the request declares its length, else as soon as reading passes the limit.
/// </summary>
public sealed class BodyLimitMiddleware(RequestDelegate next, HttpLimits limits)
{
    /// <summary>Runs the rest of the pipeline under the limit.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.ContentLength > limits.MaxBodyBytes)
        {
            await TooLargeAsync(context, $"the body is {context.Request.ContentLength} bytes").ConfigureAwait(false);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limits.MaxBodyBytes;
        }
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await TooLargeAsync(context, "the body is longer").ConfigureAwait(false);
        }
    }

    private Task TooLargeAsync(HttpContext context, string what)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        return context.Response.WriteAsJsonAsync(new { error = $"{what}; the limit is {limits.MaxBodyBytes} bytes ({HttpLimits.Section}:MaxBodyBytes)" });
    }
}
