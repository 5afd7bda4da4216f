using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.Testing.Http;

namespace OmniStream.Gateway.Tests;

/// <summary>The gateway's endpoints answer only callers with their permission, and its OpenAPI document describes them all.</summary>
public class GatewaySecurityTests
{
    private GatewayHarness _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _gateway = await GatewayHarness.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _gateway.DisposeAsync();

    [TestCase("POST", "/outcomes", Permissions.OutcomesWrite)]
    [TestCase("POST", "/events", Permissions.EventsWrite)]
    [TestCase("POST", "/webhooks/dialogflow", Permissions.EventsWrite)]
    [TestCase("GET", "/actions/web/events", Permissions.ActionsRead)]
    public async Task Without_credentials_401_and_without_the_permission_403_each_saying_why(string method, string path, string permission)
    {
        var (anonymous, anonymousBody) = await SendAsync(method, path, null);
        var (lacking, lackingBody) = await SendAsync(method, path, TestCredentials.Token("web-backend", [.. Permissions.All.Except([permission])]));

        Assert.That(anonymous, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(anonymousBody, Does.Contain("authentication required").And.Contain(permission));
        Assert.That(lacking, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(lackingBody, Does.Contain($"'web-backend' lacks permission '{permission}'"));
    }

    [Test]
    public async Task An_outcome_with_a_field_over_its_limit_answers_400_naming_it()
    {
        var body = JsonSerializer.Serialize(new { actionId = Guid.NewGuid(), customerId = new string('c', 257), channel = "WEB", outcome = "OPENED" });
        var (status, answer) = await SendAsync("POST", "/outcomes", TestCredentials.Token("web-backend", Permissions.OutcomesWrite), body);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(answer, Does.Contain("'customerId' is 257 characters long"));
    }

    [Test]
    public async Task The_openapi_document_describes_every_mapped_endpoint()
    {
        var described = await OpenApiCoverage.DescribedAsync(new Uri(_gateway.Url, "/openapi/v1.json"));
        var mapped = OpenApiCoverage.Mapped(_gateway.Services.GetRequiredService<EndpointDataSource>());

        Assert.That(mapped, Is.Not.Empty.And.SubsetOf(described), $"described: {string.Join(", ", described)}");
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(string method, string path, string? token, string? body = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(_gateway.Url, path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return (response.StatusCode, response.StatusCode is HttpStatusCode.OK ? "" : await response.Content.ReadAsStringAsync());
    }
}
