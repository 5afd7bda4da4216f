namespace OmniStream.Streaming.Queries;

/// <summary>
/// The partition Kafka's default partitioner (Java's, and librdkafka's <c>murmur2_random</c>)
/// gives a key: the positive murmur2 hash of its bytes modulo the partition count. The engine's
/// producers use it, so a key's store shard can be found without reading anything.
/// </summary>
public static class KeyPartitioner
{
    /// <summary>The partition of <paramref name="key"/> among <paramref name="partitions"/>.</summary>
    public static int Partition(ReadOnlySpan<byte> key, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        return (Murmur2(key) & 0x7fffffff) % partitions;
    }

    // Kafka's variant of MurmurHash2 (seed 0x9747b28c), as in org.apache.kafka.common.utils.Utils.murmur2.
    private static int Murmur2(ReadOnlySpan<byte> data)
    {
        unchecked
        {
            const uint m = 0x5bd1e995;
            const int r = 24;
            var length = data.Length;
            var h = 0x9747b28c ^ (uint)length;
            var blocks = length / 4;
            for (var i = 0; i < blocks; i++)
            {
                var k = (uint)(data[i * 4] | data[(i * 4) + 1] << 8 | data[(i * 4) + 2] << 16 | data[(i * 4) + 3] << 24);
                k *= m;
                k ^= k >> r;
                k *= m;
                h *= m;
                h ^= k;
            }
            var tail = blocks * 4;
            switch (length % 4)
            {
                case 3:
                    h ^= (uint)data[tail + 2] << 16;
                    goto case 2;
                case 2:
                    h ^= (uint)data[tail + 1] << 8;
                    goto case 1;
                case 1:
                    h ^= data[tail];
                    h *= m;
                    break;
            }
            h ^= h >> 13;
            h *= m;
            h ^= h >> 15;
            return (int)h;
        }
    }
}
