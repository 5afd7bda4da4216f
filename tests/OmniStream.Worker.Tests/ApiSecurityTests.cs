using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniStream.Schemas.Contracts;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.ServiceDefaults.Peers;
using OmniStream.Streaming.Processing;
using OmniStream.Testing;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Http;

namespace OmniStream.Worker.Tests;

/// <summary>
/// The worker's HTTP API answers only callers with the endpoint's permission: 401 without (or with
/// bad) credentials, 403 without the permission, each with a body saying why; personal data
/// requests leave an audit line without personal data.
/// </summary>
public class ApiSecurityTests() : CustomerFixture("api-security")
{
    private static readonly string[] PersonalDataRequests = ["GET /customers/{0}", "GET /privacy/export/{0}", "POST /privacy/erasure/{0}"];
    private static readonly Dictionary<string, string> PermissionOf = new()
    {
        ["GET /customers/{0}"] = Permissions.CustomersRead,
        ["GET /privacy/export/{0}"] = Permissions.PrivacyExport,
        ["POST /privacy/erasure/{0}"] = Permissions.PrivacyErase,
    };

    [TestCaseSource(nameof(PersonalDataRequests))]
    public async Task Without_credentials_a_personal_data_request_answers_401_saying_how_to_authenticate(string request)
    {
        var (status, body) = await SendAsync(request, _ => { });

        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body, Does.Contain("authentication required").And.Contain(PermissionOf[request]).And.Contain("Authorization: Bearer"));
    }

    [TestCaseSource(nameof(PersonalDataRequests))]
    public async Task With_a_token_lacking_the_permission_a_personal_data_request_answers_403_naming_it(string request)
    {
        var others = Permissions.All.Except([PermissionOf[request]]).ToArray();
        var (status, body) = await SendAsync(request, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestCredentials.Token("analyst", others)));

        Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(body, Does.Contain($"'analyst' lacks permission '{PermissionOf[request]}'"));
    }

    [TestCase("GET /customers/{0}", HttpStatusCode.OK)]
    [TestCase("GET /privacy/export/{0}", HttpStatusCode.OK)]
    [TestCase("POST /privacy/erasure/{0}", HttpStatusCode.Accepted)]
    public async Task With_a_token_holding_the_permission_a_personal_data_request_answers_as_before(string request, HttpStatusCode expected)
    {
        // Erasure goes last in any order: it is asked of a customer of its own.
        var customer = request.StartsWith("POST", StringComparison.Ordinal) ? WorkerHarness.Unique("erased") : Customer;
        var (status, body) = await SendAsync(request, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestCredentials.Token("agent", PermissionOf[request])), customer);

        Assert.That(status, Is.EqualTo(expected), body);
    }

    [Test]
    public async Task An_unknown_api_key_or_a_forged_token_answers_401_saying_it_was_refused()
    {
        var (keyStatus, keyBody) = await SendAsync("GET /customers/{0}", r => r.Headers.Add(ApiKeyHandler.Header, "not-a-key-of-this-service-0123456789"));
        var forged = DevelopmentCredentials.Sign(Convert.ToBase64String(new byte[32]), "mallory", Permissions.All, "omnistream", TimeSpan.FromHours(1));
        var (tokenStatus, tokenBody) = await SendAsync("GET /customers/{0}", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", forged));

        Assert.That(keyStatus, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(keyBody, Does.Contain("authentication failed").And.Contain("not a key this service knows"));
        Assert.That(tokenStatus, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(tokenBody, Does.Contain("authentication failed").And.Contain("signature does not verify"));
    }

    [Test]
    public async Task An_assertion_between_instances_signed_without_the_applications_peer_key_grants_nothing()
    {
        var stream = Worker.Services.GetRequiredService<StreamOptions>();
        var caller = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "intruder"), new Claim(PermissionClaims.Permissions, Permissions.PrivacyExport)], "test"));
        var forged = new PeerAssertions(new PeerKey(RandomNumberGenerator.GetBytes(32)), stream.ApplicationId, "elsewhere").Mint(caller, stream.InstanceId);

        var (status, body) = await SendAsync("GET /privacy/export/{0}", r => r.Headers.Add(PeerAssertions.Header, forged));

        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body, Does.Contain("X-OmniStream-Peer assertion is not valid here"));
    }

    [TestCase("/health")]
    [TestCase("/metrics")]
    [TestCase("/openapi/v1.json")]
    public async Task Health_metrics_and_the_api_description_stay_open_by_default(string path)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(Worker.Api.BaseAddress, path));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task An_export_and_an_erasure_leave_an_audit_line_with_who_and_when_but_no_personal_data()
    {
        var erased = WorkerHarness.Unique("audited");
        await SendAsync("GET /privacy/export/{0}", r => r.Headers.Add(ApiKeyHandler.Header, TestCredentials.AdminKey));
        await SendAsync("POST /privacy/erasure/{0}", r => r.Headers.Add(ApiKeyHandler.Header, TestCredentials.AdminKey), erased);

        var audit = Logs.Messages.Where(m => m.Contains("OmniStream.Audit", StringComparison.Ordinal)).ToList();

        Assert.That(audit, Has.Some.Contains("audit privacy.export").And.Contains(" by=tests ").And.Contains("status=200"));
        Assert.That(audit, Has.Some.Contains("audit privacy.erasure").And.Contains(" by=tests ").And.Contains("status=202").And.Contains(" at="));
        Assert.That(audit, Has.None.Contains(Customer).And.None.Contains(erased));
    }

    [Test]
    public async Task An_id_longer_than_the_limit_answers_400_naming_the_field()
    {
        var (status, body) = await SendAsync("GET /customers/{0}", r => r.Headers.Add(ApiKeyHandler.Header, TestCredentials.AdminKey), new string('x', 300));

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("'id' is 300 characters long; at most 256"));
    }

    [Test]
    public async Task A_body_over_the_limit_answers_413_saying_so()
    {
        var (status, body) = await SendAsync("POST /privacy/erasure/{0}", r =>
        {
            r.Headers.Add(ApiKeyHandler.Header, TestCredentials.AdminKey);
            r.Content = new ByteArrayContent(new byte[200_000]);
        });

        Assert.That(status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(body, Does.Contain("the body is 200000 bytes; the limit is 65536 bytes"));
    }

    [Test]
    public async Task The_openapi_document_describes_every_mapped_endpoint_and_both_ways_to_authenticate()
    {
        var described = await OpenApiCoverage.DescribedAsync(new Uri(Worker.Api.BaseAddress, "/openapi/v1.json"));
        var mapped = OpenApiCoverage.Mapped(Worker.Services.GetRequiredService<EndpointDataSource>());
        using var http = new HttpClient();
        var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(Worker.Api.BaseAddress, "/openapi/v1.json"))).RootElement;

        Assert.That(mapped, Is.Not.Empty);
        Assert.That(mapped, Is.SubsetOf(described), $"described: {string.Join(", ", described)}");
        Assert.That(document.GetProperty("components").GetProperty("securitySchemes").EnumerateObject().Select(s => s.Name), Is.EquivalentTo(new[] { "bearer", "apiKey" }));
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(string request, Action<HttpRequestMessage> authenticate, string? customer = null)
    {
        var (method, path) = (request.Split(' ')[0], string.Format(System.Globalization.CultureInfo.InvariantCulture, request.Split(' ')[1], Uri.EscapeDataString(customer ?? Customer)));
        using var message = new HttpRequestMessage(new HttpMethod(method), new Uri(Worker.Api.BaseAddress, path));
        authenticate(message);
        using var http = new HttpClient();
        using var response = await http.SendAsync(message);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
