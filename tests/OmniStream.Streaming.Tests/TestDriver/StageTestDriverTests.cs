using System.Text;
using Microsoft.Extensions.Time.Testing;
using OmniStream.Kafka.Operations.DeadLetters;
using OmniStream.Streaming.Tests.Tasks;
using OmniStream.Streaming.TestDriver;

namespace OmniStream.Streaming.Tests.TestDriver;

/// <summary>The stage test driver keeps the engine's guarantees in memory: committed reads, stores with their changelogs, crashes, timers, dead letters.</summary>
public class StageTestDriverTests
{
    private static readonly DateTime Start = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

    [Test]
    public async Task Records_piped_in_are_handled_and_their_outputs_and_store_writes_committed()
    {
        using var driver = Driver(new CountingHandler("in", "out"));
        Pipe(driver, "in", "a", "x");
        Pipe(driver, "in", "b", "x");
        Pipe(driver, "in", "a", "x");
        await driver.RunAsync();

        Assert.That(Values(driver, "out"), Is.EqualTo(new[] { "a=1", "b=1", "a=2" }));
        Assert.That(BitConverter.ToInt64(driver.Get(CountingHandler.Store, Bytes("a"))!), Is.EqualTo(2));
    }

    [Test]
    public async Task A_crash_drops_what_was_not_committed_and_the_input_is_read_again_once()
    {
        using var driver = Driver(new CountingHandler("in", "out"));
        Pipe(driver, "in", "a", "x");
        await driver.RunAsync();
        Pipe(driver, "in", "a", "x");
        await driver.ProcessAsync("count");
        Assert.That(driver.Store(CountingHandler.Store).Find(Bytes("a")), Is.EqualTo(BitConverter.GetBytes(2L)), "the handler sees its pending write");

        driver.Crash("count");
        Assert.That(Values(driver, "out"), Is.EqualTo(new[] { "a=1" }), "the second output was never committed");
        Assert.That(BitConverter.ToInt64(driver.Get(CountingHandler.Store, Bytes("a"))!), Is.EqualTo(1));

        await driver.RunAsync();
        Assert.That(Values(driver, "out"), Is.EqualTo(new[] { "a=1", "a=2" }), "the record was read again, and counted once");
    }

    [Test]
    public async Task A_restart_rebuilds_the_stores_from_their_changelogs()
    {
        using var driver = Driver(new CountingHandler("in", "out"), partitions: 3);
        foreach (var key in new[] { "a", "b", "c", "d", "a", "b" })
        {
            Pipe(driver, "in", key, "x");
        }
        await driver.RunAsync();
        driver.Restart("count");
        Pipe(driver, "in", "a", "x");
        await driver.RunAsync();

        Assert.That(Values(driver, "out"), Does.Contain("a=3"));
        Assert.That(driver.Scan(CountingHandler.Store).Select(e => (Encoding.UTF8.GetString(e.Key), BitConverter.ToInt64(e.Value))).OrderBy(e => e.Item1),
            Is.EqualTo(new[] { ("a", 3L), ("b", 2L), ("c", 1L), ("d", 1L) }));
    }

    [Test]
    public async Task A_driver_that_keeps_no_records_runs_on_but_refuses_to_restore_with_its_reason()
    {
        using var driver = new StageTestDriver([new CountingHandler("in", "out")], new FakeTimeProvider(Start), new StageTestDriverOptions { KeepRecords = false });
        Pipe(driver, "in", "a", "x");
        Pipe(driver, "in", "a", "x");
        await driver.RunAsync();

        Assert.That(BitConverter.ToInt64(driver.Get(CountingHandler.Store, Bytes("a"))!), Is.EqualTo(2));
        var error = Assert.Throws<InvalidOperationException>(() => driver.Restart("count"));
        Assert.That(error!.Message, Does.Contain("KeepRecords"));
    }

    [Test]
    public async Task A_stage_reads_what_another_sends_only_once_that_one_committed()
    {
        using var driver = Driver([new ToyHandler("in", "middle"), new CountingHandler("middle", "out")]);
        Pipe(driver, "in", "k", "hello");
        await driver.ProcessAsync("toy");
        Assert.That(await driver.ProcessAsync("count"), Is.Zero, "the toy stage's output is not committed yet");

        driver.Commit("toy");
        Assert.That(await driver.ProcessAsync("count"), Is.EqualTo(1));
        driver.Commit("count");
        Assert.That(Values(driver, "out"), Is.EqualTo(new[] { "k=1" }));
    }

    [Test]
    public async Task A_record_that_fails_is_set_aside_with_its_reason_and_a_transient_failure_is_retried()
    {
        using var driver = Driver(new ToyHandler("in", "out"));
        Pipe(driver, "in", "k", "boom");
        Pipe(driver, "in", "k", "flaky");
        await driver.RunAsync();

        var letter = driver.Read(driver.Options.DeadLetterTopic).Single();
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(letter.Value!), Is.EqualTo("boom"));
            Assert.That(Header(letter, DeadLetterHeaders.ErrorMessage), Is.EqualTo("the toy handler refuses 'boom'"));
            Assert.That(Header(letter, DeadLetterHeaders.SourceTopic), Is.EqualTo("in"));
            Assert.That(Values(driver, "out"), Is.EqualTo(new[] { "FLAKY" }));
        });
    }

    [Test]
    public async Task Timers_fire_as_the_clock_moves_and_a_failing_timer_is_set_aside()
    {
        using var driver = Driver(new TimerHandler("in", "out"));
        Pipe(driver, "in", "soon", "", Start.AddMinutes(1));
        Pipe(driver, "in", "bad", "", Start.AddMinutes(1));
        Pipe(driver, "in", "later", "", Start.AddMinutes(10));
        await driver.RunAsync();
        Assert.That(driver.Read("out"), Is.Empty);

        await driver.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.That(Values(driver, "out"), Is.EqualTo(new[] { "fired:soon" }));
        Assert.That(driver.Read(driver.Options.DeadLetterTopic).Select(r => Encoding.UTF8.GetString(r.Key!)), Is.EqualTo(new[] { "bad" }));

        await driver.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.That(Values(driver, "out"), Is.EqualTo(new[] { "fired:soon", "fired:later" }));
    }

    [Test]
    public async Task What_a_handler_gathers_in_memory_is_sent_when_its_stage_commits()
    {
        using var driver = Driver(new TallyHandler("in", "out"), partitions: 2);
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            Pipe(driver, "in", key, "x");
        }
        await driver.ProcessAsync("toy");
        Assert.That(driver.Read("out"), Is.Empty);
        driver.Commit("toy");
        Assert.That(Values(driver, "out").Sum(v => int.Parse(v.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(4));
    }

    private static StageTestDriver Driver(Streaming.Tasks.IStreamHandler handler, int partitions = 1) => Driver([handler], partitions);

    private static StageTestDriver Driver(IEnumerable<Streaming.Tasks.IStreamHandler> handlers, int partitions = 1) =>
        new(handlers, new FakeTimeProvider(Start), new StageTestDriverOptions { Partitions = partitions, TransientRetries = 3 });

    private static void Pipe(StageTestDriver driver, string topic, string key, string value, DateTime? at = null) =>
        driver.Pipe(topic, Bytes(key), Bytes(value), timestamp: at);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string[] Values(StageTestDriver driver, string topic) => [.. driver.Read(topic).Select(r => Encoding.UTF8.GetString(r.Value!))];

    private static string? Header(TestRecord record, string name) =>
        record.Headers is { } headers && headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
}
