using System.CommandLine;
using OmniStream.Channels.Topics;
using OmniStream.Streaming.DeadLetters;
using OmniStream.Streaming.Hosting;

namespace OmniStream.Cli.Commands;

/// <summary><c>omnistream deadletter replay</c>: send chosen dead letters back to their source topics.</summary>
internal static class DeadLetterCommand
{
    public static Command Create()
    {
        var bootstrap = TopicsCommand.BootstrapOption();
        var source = new Option<string?>("--source-topic") { Description = "Only dead letters read from this topic" };
        var errorClass = new Option<string?>("--error-class") { Description = "Only dead letters whose error class ends with this (e.g. AvroDecodeException)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be replayed, send nothing" };
        var replay = new Command("replay", $"Send dead letters from {TopicCatalog.DeadLetter.Name} back to their source topics") { bootstrap, source, errorClass, dryRun };
        replay.SetAction(async (parse, stop) =>
        {
            if (TopicsCommand.RequireBootstrap(parse.GetValue(bootstrap), "deadletter replay") is not { } servers)
            {
                return 2;
            }
            var (topic, error) = (parse.GetValue(source), parse.GetValue(errorClass));
            var results = await new DeadLetterReplayer(ClusterSettings.Read(servers)).ReplayAsync(
                TopicCatalog.DeadLetter.Name,
                letter => (topic is null || letter.SourceTopic == topic) && (error is null || letter.ErrorClass.EndsWith(error, StringComparison.Ordinal)),
                parse.GetValue(dryRun), stop);
            foreach (var (letter, replayed) in results)
            {
                Console.WriteLine($"{(replayed ? "replayed" : "would replay")} {letter.SourceTopic} [{letter.SourcePartition}] @{letter.SourceOffset}: {letter.ErrorClass}: {letter.ErrorMessage}");
            }
            Console.WriteLine($"deadletter replay: {results.Count(r => r.Replayed)} replayed, {results.Count(r => !r.Replayed)} listed only");
            return 0;
        });
        return new Command("deadletter", "Records set aside because they could not be processed") { replay };
    }
}
