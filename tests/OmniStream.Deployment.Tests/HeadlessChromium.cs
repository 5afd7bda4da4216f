using Microsoft.Playwright;

namespace OmniStream.Deployment.Tests;

/// <summary>Debian's Chromium, headless, driven by Playwright: the browser the page tests use (ignored where it is not installed).</summary>
internal static class HeadlessChromium
{
    private const string Executable = "/usr/bin/chromium";

    /// <summary>Ignores the calling test when Chromium is not installed.</summary>
    public static void RequireInstalled()
    {
        if (!File.Exists(Executable))
        {
            Assert.Ignore($"no {Executable} (apt-get install chromium; .ci/run installs it)");
        }
    }

    /// <summary>Launches it.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Executable,
            Headless = true,
            // This machine's network is closed: Chromium's own background connections would only fail.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });

    /// <summary>The page's script errors and console errors from now on, those <paramref name="ignored"/> says are no fault of the page aside.</summary>
    public static List<string> CollectErrors(IPage page, Func<string, bool>? ignored = null)
    {
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && ignored?.Invoke(message.Text) != true)
            {
                errors.Add(message.Text);
            }
        };
        return errors;
    }
}
