namespace OmniStream.Cli.Demo;

/// <summary>Prints, once, the address of the 360° view of a customer the demo is serving right now, of the live KPIs and of the ops page.</summary>
internal static class LiveCustomerLink
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Asks the worker's API for the view of <paramref name="candidate"/>'s customer (with
    /// <paramref name="token"/>) until it answers, then prints <c>360: URL</c> (only for a view that
    /// answers), <c>explorer: URL</c> (a link that signs in to the customer explorer on that customer), <c>kpis: URL</c>, <c>ops: URL</c> (the ops page), <c>token: TOKEN</c> and the <c>curl</c> command that uses it.
    /// </summary>
    public static async Task AnnounceAsync(Uri api, string token, Func<string> candidate, TextWriter output, CancellationToken stop)
    {
        using var http = new HttpClient { DefaultRequestHeaders = { Authorization = new("Bearer", token) } };
        try
        {
            while (true)
            {
                var url = new Uri(api, $"/customers/{Uri.EscapeDataString(candidate())}");
                try
                {
                    using var response = await http.GetAsync(url, stop).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        output.WriteLine($"360: {url}");
                        // The token rides in the fragment, which the browser never sends: the sign-in page reads it and opens a session.
                        output.WriteLine($"explorer: {new Uri(api, "/explorer/sign-in")}#token={token}&customer={Uri.EscapeDataString(candidate())}");
                        output.WriteLine($"kpis: {new Uri(api, "/kpis?window=HOUR")}");
                        output.WriteLine($"ops: {new Uri(api, "/ops")}");
                        output.WriteLine($"token: {token}");
                        output.WriteLine($"curl -H \"Authorization: Bearer {token}\" {url}");
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // The API is not up yet: ask again.
                }
                await Task.Delay(Retry, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The demo ended first.
        }
    }
}
