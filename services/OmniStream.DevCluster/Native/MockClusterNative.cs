using System.Runtime.InteropServices;

namespace OmniStream.DevCluster.Native;

/// <summary>The few librdkafka functions the embedded cluster needs (see src/rdkafka_mock.h).</summary>
internal static partial class MockClusterNative
{
    public const int ProducerType = 0;

    [LibraryImport(LibrdkafkaLocator.LibraryName)]
    public static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(LibrdkafkaLocator.LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte[] errstr, nuint errstrSize);

    [LibraryImport(LibrdkafkaLocator.LibraryName)]
    public static partial IntPtr rd_kafka_new(int type, IntPtr conf, byte[] errstr, nuint errstrSize);

    [LibraryImport(LibrdkafkaLocator.LibraryName)]
    public static partial void rd_kafka_destroy(IntPtr rk);

    [LibraryImport(LibrdkafkaLocator.LibraryName)]
    public static partial IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);

    [LibraryImport(LibrdkafkaLocator.LibraryName)]
    public static partial void rd_kafka_mock_cluster_destroy(IntPtr cluster);

    [LibraryImport(LibrdkafkaLocator.LibraryName)]
    public static partial void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr cluster, int delayMs);

    [LibraryImport(LibrdkafkaLocator.LibraryName)]
    public static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [LibraryImport(LibrdkafkaLocator.LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitions, int replicationFactor);

    [LibraryImport(LibrdkafkaLocator.LibraryName)]
    public static partial int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [LibraryImport(LibrdkafkaLocator.LibraryName)]
    public static partial int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);

    [LibraryImport(LibrdkafkaLocator.LibraryName)]
    public static partial int rd_kafka_mock_broker_set_rtt(IntPtr cluster, int brokerId, int rttMs);

    [LibraryImport(LibrdkafkaLocator.LibraryName)]
    public static partial void rd_kafka_mock_push_request_errors_array(IntPtr cluster, short apiKey, nuint count, int[] errors);

    [LibraryImport(LibrdkafkaLocator.LibraryName)]
    public static partial void rd_kafka_mock_clear_request_errors(IntPtr cluster, short apiKey);

    [LibraryImport(LibrdkafkaLocator.LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void rd_kafka_mock_topic_set_error(IntPtr cluster, string topic, int error);

    [LibraryImport(LibrdkafkaLocator.LibraryName)]
    public static partial IntPtr rd_kafka_err2str(int error);
}
