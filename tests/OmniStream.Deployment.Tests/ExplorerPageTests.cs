using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OmniStream.Channels.Publishing;
using OmniStream.Kafka;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.Testing;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Http;
using OmniStream.Testing.Kafka;
using OmniStream.Testing.Processes;
using OmniStream.Worker.Definitions;

namespace OmniStream.Deployment.Tests;

/// <summary>
/// The customer explorer in a real headless Chromium, served by one of two worker processes while channel traffic flows:
/// signed in through the demo's kind of link (a token in the fragment opening a cookie session), it finds a customer by
/// a linked anonymous id, shows their cross-channel timeline and cart reminder with its reasons, the silent decision of a
/// customer without consent, a new event within 2 s, "why not?" for a paused customer, and the marketers' charts; it
/// refuses visitors without a session (sign-in) or without <c>customers:read</c> (403), and every view is audited.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public class ExplorerPageTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    // An address reached is enough: what follows waits for the page's own elements (the explorer's pages may navigate again
    // as they load: a poll answered 401 after signing out, the sign-in page taking its fragment away).
    private static readonly PageWaitForURLOptions Committed = new() { Timeout = (float)Deadline.TotalMilliseconds, WaitUntil = WaitUntilState.Commit };
    private static readonly TimeSpan CartIdle = TimeSpan.FromSeconds(4);

    [Test]
    public async Task A_linked_id_finds_the_customer_whose_timeline_actions_silences_and_why_not_the_page_shows_live()
    {
        HeadlessChromium.RequireInstalled();
        using var turn = await ChannelTraffic.TakeTurnAsync();
        var app = "explorer-" + Guid.NewGuid().ToString("N")[..6];
        await OutageTests.CreateTopicsAsync(app);
        var directory = FailureModeTests.Directory(app);
        var policies = ShippedPolicies.WriteWithCartIdle(directory, CartIdle);
        var workers = new[] { "explorer-1", "explorer-2" }.Select(id => WorkerProcesses.Start(id, Path.Combine(directory, id), ShortSessions.With(new Dictionary<string, string>
        {
            ["OmniStream:Kafka:BootstrapServers"] = ClusterFixture.Cluster.BootstrapServers,
            ["OmniStream:Stream:ApplicationId"] = app,
            ["OmniStream:Policies:File"] = policies,
        }))).ToList();
        var api = workers[0].Api;
        using var traffic = new CancellationTokenSource();
        var publishing = Task.CompletedTask;
        try
        {
            foreach (var (process, workerApi) in workers)
            {
                using var http = TestCredentials.AdminClient(workerApi);
                await OutageTests.WaitHealthyAsync(http, process);
            }
            publishing = SurveyTraffic.PublishAsync($"{app}-crowd", traffic.Token, burst: 50);
            using var publisher = new ChannelPublisher(new KafkaOptions { BootstrapServers = ClusterFixture.Cluster.BootstrapServers },
                new AvroSerde<InteractionEvent>(SchemaCatalog.Default));
            var (ann, anonymous, bob, cara) = ($"{app}-ann", $"{app}-visitor", $"{app}-bob", $"{app}-cara");
            await JourneysAsync(publisher, ann, anonymous, bob, cara);
            using (var http = TestCredentials.AdminClient(api))
            {
                await Wait.UntilAsync(async () => (await http.GetAsync($"/identities/{anonymous}")).IsSuccessStatusCode
                    && (await http.GetAsync($"/customers/{ann}")).IsSuccessStatusCode, Deadline, "the visitor's link to Ann, and Ann's view");
            }
            await ExplorerAccess.AssertWhoGetsInAsync(api, ann);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await HeadlessChromium.LaunchAsync(playwright);
            await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
            var page = await context.NewPageAsync();
            // A lookup asks whether an id is linked: Chromium logs the 404 of an id that is not, which is no fault of the page.
            var errors = HeadlessChromium.CollectErrors(page, text => text.Contains("status of 404", StringComparison.Ordinal));

            // The demo's link: the token in the fragment opens a session, then the explorer opens without any header.
            var token = TestCredentials.Token("explorer-tests", Permissions.CustomersRead, Permissions.KpisRead);
            await page.GotoAsync(new Uri(api, $"/explorer/sign-in#token={token}").ToString());
            // A link signs in only once its reader says so, seeing whom it names.
            Assert.That(await page.TextContentAsync("#link-identity"), Is.EqualTo("explorer-tests (customers:read, kpis:read)"));
            await page.ClickAsync("#link-confirm");
            await SignedInAsync(page, api);

            // Every field has a label, every table column a header, every chart a text for screen readers.
            var unlabelled = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('input, select, textarea')].filter(f => !document.querySelector(`label[for="${f.id}"]`)).map(f => f.id)
                  .concat([...document.querySelectorAll('table')].filter(t => !t.querySelector('th')).map(t => t.id))
                  .concat([...document.querySelectorAll('svg')].filter(c => c.getAttribute('role') !== 'img' || !c.getAttribute('aria-label')).map(c => c.id))
                """);
            Assert.That(unlabelled, Is.Empty, "fields without a label, tables without headers, charts without a text");

            // Found through the anonymous id, from the keyboard alone: the customer's timeline across channels, and the cart reminder with its reasons.
            for (var tab = 0; tab < 10 && await page.EvaluateAsync<string>("() => document.activeElement.id") != "lookup-id"; tab++)
            {
                await page.Keyboard.PressAsync("Tab");
            }
            Assert.That(await page.EvaluateAsync<string>("() => document.activeElement.id"), Is.EqualTo("lookup-id"), "the lookup is reached with Tab");
            await page.Keyboard.TypeAsync(anonymous);
            await page.Keyboard.PressAsync("Enter");
            await WaitAsync(page, $"() => document.getElementById('customer-title').textContent === 'Customer {ann}'");
            await WaitAsync(page, """
                () => {
                  const channels = new Set([...document.querySelectorAll('#timeline tbody tr[data-channel]')].map(r => r.dataset.channel));
                  return channels.has('WEB') && channels.has('STORE') && channels.has('MOBILE_APP');
                }
                """);
            await WaitAsync(page, """
                () => [...document.querySelectorAll('#actions tbody tr[data-action="cart_reminder"] details')]
                  .some(d => d.textContent.includes('moment cart_idle') && d.querySelector('summary').textContent.length > 0)
                """);
            var linkedIds = await page.TextContentAsync("#customer-summary");
            Assert.That(linkedIds, Does.Contain(anonymous), "the anonymous id is shown among the linked ids");
            await ScreenshotAsync(page, app, "customer", "a customer found by a linked anonymous id: timeline across channels, the cart reminder with its reasons");

            // A new event shows on the open page within 2 s.
            var live = new Interactions(ann, DateTime.UtcNow).ProductViewed(Channel.EMAIL, "sku-live");
            var clock = Stopwatch.StartNew();
            await publisher.PublishAsync(live);
            await page.WaitForSelectorAsync($"#timeline tbody tr[data-event-id='{live.eventId}']", new() { Timeout = 2000 });
            TestContext.Progress.WriteLine($"explorer: the new event appeared on the open page {clock.ElapsedMilliseconds} ms after its publishing began");

            // A customer without consent: the cart moment sent nothing, and the page says why.
            await LookUpAsync(page, bob);
            await WaitAsync(page, """
                () => [...document.querySelectorAll('#silent tbody tr[data-moment="cart_idle"]')].some(r => r.textContent.includes('no MARKETING consent'))
                """);
            await ScreenshotAsync(page, app, "silent", "a customer without consent: the cart moment that sent nothing, with why");

            // Why not? for a customer paused after a poor NPS.
            await LookUpAsync(page, cara);
            await WaitAsync(page, "() => [...document.querySelectorAll('#why-not-action option')].some(o => o.value === 'cart_reminder')");
            await page.SelectOptionAsync("#why-not-action", "cart_reminder");
            await page.ClickAsync("#why-not-form button");
            await WaitAsync(page, "() => document.querySelector('#why-not [data-would-go]') !== null");
            Assert.That(await page.GetAttributeAsync("#why-not [data-would-go]", "data-would-go"), Is.EqualTo("false"));
            var stops = await page.EvalOnSelectorAllAsync<string[]>("#why-not .stops li", "items => items.map(i => i.textContent)");
            Assert.That(stops, Has.Some.StartsWith("MARKETING_PAUSED: marketing paused until"), string.Join(" | ", stops));
            Assert.That(await page.TextContentAsync("#paused"), Does.StartWith("Marketing paused until"));
            Assert.That(await page.TextContentAsync("#segments li[data-segment='detractor']"), Does.StartWith("detractor, since 20"), "the segment and since when");
            await ScreenshotAsync(page, app, "why-not", "why not? for a customer paused after a poor NPS");

            // The marketers' view: charts drawn from the KPIs the traffic makes.
            await page.ClickAsync("#nav-marketing");
            await WaitAsync(page, """
                () => Number(document.getElementById('chart-nps-channel').dataset.bars) >= 2
                  && Number(document.getElementById('chart-ces-channel').dataset.bars) >= 2
                  && document.querySelector('#experiments tbody tr[data-action="CART_REMINDER"]') !== null
                  && Number(document.getElementById('chart-segment-members').dataset.bars) >= 2
                  && Number(document.querySelector('#segment-kpis tbody tr[data-segment="cart_open"] td:nth-child(2)')?.textContent) >= 2
                """);
            await ScreenshotAsync(page, app, "marketing", "the marketers' view: KPIs by channel, segments' members and moves, actions and experiments");
            Assert.That(errors, Is.Empty, "no script errors or refused assets in the page");

            // Signed out, the page sends to sign-in again.
            await page.ClickAsync("#sign-out");
            await page.WaitForURLAsync(new Regex("/explorer/sign-in"), Committed);
            await page.GotoAsync(new Uri(api, "/explorer").ToString());
            Assert.That(page.Url, Does.Contain("/explorer/sign-in"), "no session after signing out");

            // Every view was audited by the instance that read it, under a pseudonym.
            var audit = workers.SelectMany(w => w.Process.Stdout).Where(l => l.Contains("audit customers.read", StringComparison.Ordinal)).ToList();
            Assert.That(audit, Has.Some.Contains("by=explorer-tests"));
            Assert.That(audit, Has.None.Contains(ann).And.None.Contains(bob), "the audit names customers by pseudonym only");
            Assert.That(workers.SelectMany(w => w.Process.Stdout), Has.Some.Contains("audit session.open by=explorer-tests"));
        }
        finally
        {
            await traffic.CancelAsync();
            await publishing;
            foreach (var (process, _) in workers)
            {
                Assert.That(await process.StopAsync(Deadline), Is.Zero, process.Output);
                process.Dispose();
            }
        }
    }

    // Ann browses anonymously on the web, signs in, consents, visits a store, opens the app and leaves a cart; Bob leaves a
    // cart without any consent; Cara consents and answers a poor NPS.
    private static async Task JourneysAsync(ChannelPublisher publisher, string ann, string anonymous, string bob, string cara)
    {
        var start = DateTime.UtcNow.AddMinutes(-2);
        var visitor = Interactions.Anonymous(anonymous, start);
        var customer = new Interactions(ann, start);
        var third = new Interactions(cara, start);
        foreach (var e in new[]
        {
            visitor.PageViewed(Channel.WEB, "/bikes"),
            customer.After(TimeSpan.FromSeconds(10)).Identified(Channel.WEB, anonymous),
            customer.After(TimeSpan.FromSeconds(10)).MarketingConsent(Channel.WEB),
            customer.After(TimeSpan.FromSeconds(10)).StoreVisited("store-7"),
            customer.After(TimeSpan.FromSeconds(10)).AppOpened(),
            third.MarketingConsent(Channel.WEB),
            third.After(TimeSpan.FromSeconds(10)).SurveyAnswered(Channel.WEB, nps: 2),
        })
        {
            await publisher.PublishAsync(e);
        }
        await publisher.PublishAsync(new Interactions(ann, DateTime.UtcNow).CartUpdated(Channel.WEB, ("bike-1", 1, 899m)));
        await publisher.PublishAsync(new Interactions(bob, DateTime.UtcNow).CartUpdated(Channel.WEB, ("lock-2", 1, 39m)));
    }

    private static async Task LookUpAsync(IPage page, string id)
    {
        await page.ClickAsync("#nav-customer");
        await page.FillAsync("#lookup-id", id);
        await page.PressAsync("#lookup-id", "Enter");
        await WaitAsync(page, $"() => document.getElementById('customer-title').textContent === 'Customer {id}'");
    }

    // The sign-in link's confirmation leads to the explorer; a failure says where the browser is and what the sign-in page says.
    private static async Task SignedInAsync(IPage page, Uri api)
    {
        try
        {
            await page.WaitForURLAsync(new Uri(api, "/explorer").ToString(), Committed);
        }
        catch (TimeoutException)
        {
            var said = page.Url.Contains("/sign-in", StringComparison.Ordinal) ? await page.TextContentAsync("#status") : "";
            Assert.Fail($"the browser stayed at {page.Url} ({said}) after the sign-in link was confirmed");
        }
    }

    // A condition not met says what the page shows as its problem and status.
    private static async Task WaitAsync(IPage page, string condition)
    {
        try
        {
            await page.WaitForFunctionAsync(condition, null, new() { Timeout = (float)Deadline.TotalMilliseconds, PollingInterval = 100 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"not met within {Deadline.TotalSeconds:0} s: {condition}\nproblem: {await page.TextContentAsync("#problem")}\nstatus: {await page.TextContentAsync("#updated")}");
        }
    }

    private static async Task ScreenshotAsync(IPage page, string app, string name, string description)
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"explorer-{name}-{app}.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, description);
        Assert.That(new FileInfo(path).Length, Is.GreaterThan(10_000));
    }
}
