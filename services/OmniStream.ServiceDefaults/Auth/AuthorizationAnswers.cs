using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace OmniStream.ServiceDefaults.Auth;

/// <summary>
/// Answers refused requests with a body that says why, as every other error of the API does:
/// 401 when credentials are missing or invalid (which, and how to send them), 403 when the caller
/// lacks the endpoint's permission (which one); a browser page without credentials sends to its sign-in page.
/// </summary>
public sealed class AuthorizationAnswers : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    /// <inheritdoc />
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (context.GetEndpoint() is null)
        {
            // No endpoint: the fallback policy (an endpoint that names no permission is closed) is not about it; 404 follows.
            await next(context).ConfigureAwait(false);
            return;
        }
        var permission = context.GetEndpoint()?.Metadata.GetMetadata<PermissionMetadata>()?.Name ?? "?";
        if (authorizeResult.Challenged && context.GetEndpoint()?.Metadata.GetMetadata<SignInPageMetadata>() is { } signIn)
        {
            context.Response.Redirect(signIn.Path);
            return;
        }
        if (authorizeResult.Challenged)
        {
            var failure = (await context.AuthenticateAsync().ConfigureAwait(false)).Failure is { } refused ? AuthenticationFailure.Describe(refused) : null;
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = $"Bearer, {ApiKeyHandler.SchemeName}";
            await context.Response.WriteAsJsonAsync(new { error = failure is null
                ? $"authentication required (permission '{permission}'): send 'Authorization: Bearer <token>' or '{ApiKeyHandler.Header}: <key>'"
                : $"authentication failed: {failure}" }).ConfigureAwait(false);
            return;
        }
        if (authorizeResult.Forbidden)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsJsonAsync(new
            {
                error = permission == "?"
                    ? $"{context.Request.Path} names no permission: it is closed to every caller"
                    : $"'{PermissionClaims.NameOf(context.User)}' lacks permission '{permission}'",
            }).ConfigureAwait(false);
            return;
        }
        await _default.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
    }
}
