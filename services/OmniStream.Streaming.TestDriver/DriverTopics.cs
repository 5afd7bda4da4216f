namespace OmniStream.Streaming.TestDriver;

/// <summary>
/// The driver's topics, made on first use, every topic with the partitions the options give it; a
/// changelog is compacted, unless the driver keeps no records (then stores cannot be restored).
/// </summary>
internal sealed class DriverTopics(StageTestDriverOptions options, IReadOnlySet<string> readTopics)
{
    private readonly Dictionary<string, TopicLog> _logs = [];

    public TopicLog Log(string topic)
    {
        if (!_logs.TryGetValue(topic, out var log))
        {
            var compacted = options.KeepRecords && topic.EndsWith("-changelog", StringComparison.Ordinal);
            var keep = options.KeepRecords || readTopics.Contains(topic);
            _logs[topic] = log = new TopicLog(topic, options.PartitionsOf(topic), compacted, keep);
        }
        return log;
    }

    public bool Exists(string topic) => _logs.ContainsKey(topic);
}
