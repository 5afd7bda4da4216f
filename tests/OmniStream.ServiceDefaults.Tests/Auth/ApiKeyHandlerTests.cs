using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OmniStream.ServiceDefaults.Auth;

namespace OmniStream.ServiceDefaults.Tests.Auth;

public class ApiKeyHandlerTests
{
    private const string Key = "a-key-of-at-least-thirty-two-characters";

    [Test]
    public async Task A_known_key_authenticates_its_holder_with_its_permissions()
    {
        var result = await AuthenticateAsync(request => request.Headers[ApiKeyHandler.Header] = Key);

        Assert.That(result.Succeeded, Is.True);
        Assert.That(result.Principal!.FindFirst(ClaimTypes.Name)?.Value, Is.EqualTo("crm-sync"));
        Assert.That(PermissionClaims.Has(result.Principal, Permissions.CustomersRead), Is.True);
        Assert.That(PermissionClaims.Has(result.Principal, Permissions.PrivacyErase), Is.False);
    }

    [Test]
    public async Task An_unknown_key_fails_saying_so()
    {
        var result = await AuthenticateAsync(request => request.Headers[ApiKeyHandler.Header] = Key + "x");

        Assert.That(result.Failure?.Message, Is.EqualTo("the X-Api-Key sent is not a key this service knows"));
    }

    [Test]
    public async Task No_credentials_is_no_result_so_that_open_endpoints_answer()
    {
        var result = await AuthenticateAsync(_ => { });

        Assert.That(result.None, Is.True);
    }

    [Test]
    public async Task A_bearer_token_sent_to_a_service_without_token_settings_fails_saying_why()
    {
        var result = await AuthenticateAsync(request => request.Headers.Authorization = "Bearer eyJ...");

        Assert.That(result.Failure?.Message, Does.StartWith("this service accepts no bearer tokens (OmniStream:Auth:Jwt is not configured)"));
    }

    private static async Task<AuthenticateResult> AuthenticateAsync(Action<HttpRequest> send)
    {
        var auth = new AuthOptions();
        var credential = new ApiKeyCredential { Name = "crm-sync", Key = Key };
        credential.Permissions.Add(Permissions.CustomersRead);
        auth.ApiKeys.Add(credential);
        var handler = new ApiKeyHandler(new StaticOptions(), NullLoggerFactory.Instance, UrlEncoder.Default, auth);
        var context = new DefaultHttpContext();
        send(context.Request);
        await handler.InitializeAsync(new AuthenticationScheme(ApiKeyHandler.SchemeName, null, typeof(ApiKeyHandler)), context);
        return await handler.AuthenticateAsync();
    }

    private sealed class StaticOptions : IOptionsMonitor<AuthenticationSchemeOptions>
    {
        public AuthenticationSchemeOptions CurrentValue { get; } = new();

        public AuthenticationSchemeOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<AuthenticationSchemeOptions, string?> listener) => null;
    }
}
