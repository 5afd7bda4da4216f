using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.ServiceDefaults.Http;

namespace OmniStream.ServiceDefaults.Tests.Auth;

/// <summary>Over real HTTP: an endpoint mapped without naming its permission is closed to every caller, not open.</summary>
public class FallbackPolicyTests
{
    private const string Key = "key-with-every-permission-0123456789";

    [Test]
    public async Task An_endpoint_that_names_no_permission_is_closed_and_an_unknown_path_is_still_404()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OmniStream:Auth:ApiKeys:0:Name"] = "admin",
            ["OmniStream:Auth:ApiKeys:0:Key"] = Key,
            ["OmniStream:Auth:ApiKeys:0:Permissions:0"] = Permissions.CustomersRead,
            ["OmniStream:Auth:Anonymous:0"] = "",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddOmniStreamHttp();
        await using var app = builder.Build();
        app.UseOmniStreamHttp();
        app.MapGet("/forgotten", () => "personal data");
        app.MapGet("/named", () => "ok").RequirePermission(Permissions.CustomersRead, app.Services.GetRequiredService<AuthOptions>());
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var anonymous = new HttpClient { BaseAddress = address };
        using var admin = new HttpClient { BaseAddress = address };
        admin.DefaultRequestHeaders.Add(ApiKeyHandler.Header, Key);

        using var closedToAnonymous = await anonymous.GetAsync("/forgotten");
        using var closedToAdmin = await admin.GetAsync("/forgotten");
        using var named = await admin.GetAsync("/named");
        using var nowhere = await anonymous.GetAsync("/nowhere");
        await app.StopAsync();

        Assert.That(closedToAnonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(closedToAdmin.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await closedToAdmin.Content.ReadAsStringAsync(), Does.Contain("/forgotten names no permission"));
        Assert.That(named.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(nowhere.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
