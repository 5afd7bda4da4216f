using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;
using OmniStream.DevCluster.Native;

namespace OmniStream.DevCluster;

/// <summary>
/// An embedded Kafka-protocol cluster: librdkafka's mock brokers listening on 127.0.0.1, data in
/// memory. Any Kafka client can use it through <see cref="BootstrapServers"/>. Dispose it after
/// the clients that use it (clients first, then the cluster).
/// </summary>
public sealed class DevKafkaCluster : IDisposable
{
    private readonly Lock _lock = new();
    private IntPtr _handle;
    private IntPtr _cluster;

    private DevKafkaCluster(IntPtr handle, IntPtr cluster, int brokerCount)
    {
        _handle = handle;
        _cluster = cluster;
        BrokerCount = brokerCount;
        BootstrapServers = Marshal.PtrToStringUTF8(MockClusterNative.rd_kafka_mock_cluster_bootstraps(cluster))!;
        // A native cluster left alive at process exit crashes the process: tear it down in order.
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>
    /// How long a new consumer group waits for more members before its first assignment (Kafka's
    /// <c>group.initial.rebalance.delay.ms</c>, 3 s by default, which every worker start would wait):
    /// long enough for the threads of a process started together, short for a laptop and for tests.
    /// </summary>
    public static TimeSpan InitialRebalanceDelay { get; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The brokers' addresses, as a Kafka client's <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>How many brokers the cluster has; their ids are 1 to <see cref="BrokerCount"/>.</summary>
    public int BrokerCount { get; }

    /// <summary>Starts a cluster of <paramref name="brokers"/> brokers on free ports of 127.0.0.1.</summary>
    public static DevKafkaCluster Start(int brokers = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        LibrdkafkaLocator.EnsureLoaded();
        var error = new byte[512];
        var conf = MockClusterNative.rd_kafka_conf_new();
        // Warnings only: the bookkeeping handle has no bootstrap.servers, which librdkafka notes at level 5.
        MockClusterNative.rd_kafka_conf_set(conf, "log_level", "4", error, (nuint)error.Length);
        var handle = MockClusterNative.rd_kafka_new(MockClusterNative.ProducerType, conf, error, (nuint)error.Length);
        if (handle == IntPtr.Zero)
        {
            throw new InvalidOperationException("librdkafka could not create the cluster's handle: " + Text(error));
        }
        var cluster = MockClusterNative.rd_kafka_mock_cluster_new(handle, brokers);
        if (cluster == IntPtr.Zero)
        {
            MockClusterNative.rd_kafka_destroy(handle);
            throw new InvalidOperationException($"librdkafka could not start a mock cluster of {brokers} brokers");
        }
        MockClusterNative.rd_kafka_mock_group_initial_rebalance_delay_ms(cluster, (int)InitialRebalanceDelay.TotalMilliseconds);
        return new DevKafkaCluster(handle, cluster, brokers);
    }

    /// <summary>Creates a topic (the mock brokers do not implement the CreateTopics admin request).</summary>
    public void CreateTopic(string name, int partitions, int replicationFactor = 3)
    {
        var replicas = Math.Min(replicationFactor, BrokerCount);
        Check(MockClusterNative.rd_kafka_mock_topic_create(Cluster, name, partitions, replicas), $"create topic '{name}'");
    }

    /// <summary>Disconnects a broker (or all, with -1) and refuses new connections; leadership does not move.</summary>
    public void SetBrokerDown(int brokerId) => Check(MockClusterNative.rd_kafka_mock_broker_set_down(Cluster, brokerId), $"set broker {brokerId} down");

    /// <summary>Lets a broker (or all, with -1) accept connections again.</summary>
    public void SetBrokerUp(int brokerId) => Check(MockClusterNative.rd_kafka_mock_broker_set_up(Cluster, brokerId), $"set broker {brokerId} up");

    /// <summary>Delays every answer of a broker (or all, with -1) by <paramref name="roundTrip"/>.</summary>
    public void SetBrokerLatency(int brokerId, TimeSpan roundTrip) =>
        Check(MockClusterNative.rd_kafka_mock_broker_set_rtt(Cluster, brokerId, (int)roundTrip.TotalMilliseconds), $"set broker {brokerId} latency");

    /// <summary>Fails the next requests of type <paramref name="api"/> with the given errors, one each, in order.</summary>
    public void InjectRequestErrors(KafkaApi api, params ErrorCode[] errors)
    {
        var codes = errors.Select(e => (int)e).ToArray();
        MockClusterNative.rd_kafka_mock_push_request_errors_array(Cluster, (short)api, (nuint)codes.Length, codes);
    }

    /// <summary>Drops the errors still queued for requests of type <paramref name="api"/>.</summary>
    public void ClearRequestErrors(KafkaApi api) => MockClusterNative.rd_kafka_mock_clear_request_errors(Cluster, (short)api);

    /// <summary>Makes metadata requests for a topic answer with an error (e.g. leader not available).</summary>
    public void SetTopicError(string topic, ErrorCode error) => MockClusterNative.rd_kafka_mock_topic_set_error(Cluster, topic, (int)error);

    /// <summary>Stops the brokers and frees the cluster. Safe to call twice.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_cluster == IntPtr.Zero)
            {
                return;
            }
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
            MockClusterNative.rd_kafka_mock_cluster_destroy(_cluster);
            MockClusterNative.rd_kafka_destroy(_handle);
            _cluster = IntPtr.Zero;
            _handle = IntPtr.Zero;
        }
    }

    private IntPtr Cluster => _cluster != IntPtr.Zero ? _cluster : throw new ObjectDisposedException(nameof(DevKafkaCluster));

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new KafkaException(new Error((ErrorCode)error, $"{what}: {Marshal.PtrToStringUTF8(MockClusterNative.rd_kafka_err2str(error))}"));
        }
    }

    private static string Text(byte[] buffer) => Encoding.UTF8.GetString(buffer).TrimEnd('\0');
}
