using System.Reflection;
using System.Runtime.InteropServices;

namespace OmniStream.DevCluster.Native;

/// <summary>
/// Makes this assembly's P/Invokes of <c>rd_kafka_mock_*</c> use the very librdkafka file that
/// Confluent.Kafka loaded. Confluent's loader picks among several bundled builds (on Debian 12 the
/// default one lacks libsasl2.so.3 and it falls back to another), so the file is read back from
/// the process's memory map rather than guessed.
/// </summary>
internal static class LibrdkafkaLocator
{
    internal const string LibraryName = "rdkafka";
    private static readonly Lazy<string> LoadedPath = new(LoadAndLocate);

    /// <summary>Loads librdkafka (once) and routes this assembly's imports to it.</summary>
    public static string EnsureLoaded() => LoadedPath.Value;

    private static string LoadAndLocate()
    {
        Confluent.Kafka.Library.Load();
        var path = FindMappedLibrdkafka()
            ?? throw new DllNotFoundException("Confluent.Kafka reported librdkafka loaded, but no librdkafka is mapped in this process");
        NativeLibrary.SetDllImportResolver(typeof(LibrdkafkaLocator).Assembly, Resolve);
        return path;
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == LibraryName ? NativeLibrary.Load(LoadedPath.Value) : IntPtr.Zero;

    private static string? FindMappedLibrdkafka()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the embedded cluster locates librdkafka through /proc/self/maps (Linux)");
        }
        // Line format: address perms offset dev inode path
        return File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 6)
            .Select(fields => fields[5].Trim())
            .FirstOrDefault(path => Path.GetFileName(path).Contains("librdkafka", StringComparison.Ordinal));
    }
}
