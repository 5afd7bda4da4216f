using System.Globalization;
using System.Net;
using System.Text.Json;

namespace OmniStream.Worker.Tests;

/// <summary>Reads the worker's HTTP API as a channel or service desk would, with an API key holding every permission.</summary>
internal sealed class CustomerApiClient(Uri baseAddress)
{
    private static readonly HttpClient Http = new() { DefaultRequestHeaders = { { ServiceDefaults.Auth.ApiKeyHandler.Header, Testing.Http.TestCredentials.AdminKey } } };

    public Uri BaseAddress => baseAddress;

    /// <summary>GETs <paramref name="path"/>; the status and, when there is one, the JSON body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(baseAddress, path));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>GETs <paramref name="path"/> as text; fails the test unless it answers 200.</summary>
    public async Task<string> GetTextAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(baseAddress, path));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {path}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>POSTs to <paramref name="path"/> with no body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path)
    {
        using var response = await Http.PostAsync(new Uri(baseAddress, path), content: null);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>The 360° view of <paramref name="customerId"/> once <paramref name="holds"/> holds for it (polled until the deadline).</summary>
    public async Task<JsonElement> ViewWhenAsync(string customerId, Func<JsonElement, bool> holds, TimeSpan deadline, string what)
    {
        JsonElement view = default;
        await OmniStream.Testing.Wait.UntilAsync(async () =>
        {
            var (status, body) = await GetAsync($"/customers/{Uri.EscapeDataString(customerId)}");
            view = body;
            return status == HttpStatusCode.OK && holds(body);
        }, deadline, what);
        return view;
    }
}
