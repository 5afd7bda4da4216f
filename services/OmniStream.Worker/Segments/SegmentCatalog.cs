using Microsoft.Extensions.Logging;
using OmniStream.Customers.Segments;

namespace OmniStream.Worker.Segments;

/// <summary>
/// The segment definitions in force, read from the segment file at start (a bad file stops the
/// worker, naming the line) and again whenever it changes (a bad file is then refused, logged with
/// its line, and the previous definitions stay in force).
/// </summary>
public sealed partial class SegmentCatalog
{
    private readonly SegmentOptions _options;
    private readonly ILogger<SegmentCatalog> _logger;
    private DateTime _loadedVersion;

    /// <summary>Reads the file named by <paramref name="options"/>.</summary>
    /// <exception cref="SegmentFileException">The file does not validate.</exception>
    public SegmentCatalog(SegmentOptions options, ILogger<SegmentCatalog> logger)
    {
        _options = options;
        _logger = logger;
        Current = Read(out _loadedVersion);
        LogLoaded(Current.Count, _options.File);
    }

    /// <summary>The definitions in force.</summary>
    public IReadOnlyList<SegmentDefinition> Current { get; private set; }

    /// <summary>Reads the file again if it changed; keeps the definitions in force when it does not validate.</summary>
    public void ReloadIfChanged()
    {
        var version = Version();
        if (version == _loadedVersion)
        {
            return;
        }
        _loadedVersion = version;
        try
        {
            Current = Read(out _);
            LogLoaded(Current.Count, _options.File);
        }
        catch (SegmentFileException e)
        {
            LogRefused(e.Message);
        }
    }

    private IReadOnlyList<SegmentDefinition> Read(out DateTime version)
    {
        version = Version();
        return File.Exists(_options.File) ? SegmentFile.Parse(File.ReadAllText(_options.File), _options.File) : [];
    }

    private DateTime Version() => File.Exists(_options.File) ? File.GetLastWriteTimeUtc(_options.File) : DateTime.MinValue;

    [LoggerMessage(Level = LogLevel.Information, Message = "Segments: {Count} definitions in force from {File}")]
    private partial void LogLoaded(int count, string file);

    [LoggerMessage(Level = LogLevel.Error, Message = "Segment file refused, the previous definitions stay in force: {Problem}")]
    private partial void LogRefused(string problem);
}
