using Microsoft.Extensions.Logging;
using OmniStream.Customers;

namespace OmniStream.Worker.Definitions;

/// <summary>A catalog read from a definitions file that the worker re-reads when it changes.</summary>
public interface IDefinitionCatalog
{
    /// <summary>How often to look for changes.</summary>
    TimeSpan ReloadInterval { get; }

    /// <summary>Reads the file again if it changed; keeps the definitions in force when it does not validate.</summary>
    void ReloadIfChanged();
}

/// <summary>
/// Definitions read from a file at start (a bad file stops the worker, naming the line) and again
/// whenever it changes (a bad file is then refused, logged with its line, and the definitions in
/// force stay). No file means <c>none</c>.
/// </summary>
/// <typeparam name="T">The definitions.</typeparam>
public abstract partial class DefinitionCatalog<T> : IDefinitionCatalog where T : class
{
    private readonly DefinitionFileOptions _options;
    private readonly Func<string, string, T> _parse;
    private readonly T _none;
    private readonly string _kind;
    private readonly ILogger _logger;
    private DateTime _loadedVersion;

    /// <summary>Reads the file named by <paramref name="options"/>.</summary>
    /// <exception cref="DefinitionFileException">The file does not validate.</exception>
    protected DefinitionCatalog(DefinitionFileOptions options, Func<string, string, T> parse, T none, string kind, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _parse = parse;
        _none = none;
        _kind = kind;
        _logger = logger;
        Current = Read(out _loadedVersion);
        LogLoaded(_kind, _options.File);
    }

    /// <summary>The definitions in force.</summary>
    public T Current { get; private set; }

    /// <inheritdoc />
    public TimeSpan ReloadInterval => _options.ReloadInterval;

    /// <inheritdoc />
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
            LogLoaded(_kind, _options.File);
        }
        catch (DefinitionFileException e)
        {
            LogRefused(_kind, e.Message);
        }
    }

    private T Read(out DateTime version)
    {
        version = Version();
        return File.Exists(_options.File) ? _parse(File.ReadAllText(_options.File), _options.File) : _none;
    }

    private DateTime Version() => File.Exists(_options.File) ? File.GetLastWriteTimeUtc(_options.File) : DateTime.MinValue;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} in force from {File}")]
    private partial void LogLoaded(string kind, string file);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Kind} file refused, the definitions in force stay: {Problem}")]
    private partial void LogRefused(string kind, string problem);
}

/// <summary>Where a catalog's definitions come from.</summary>
public abstract class DefinitionFileOptions
{
    /// <summary>The YAML file; no file means no definitions.</summary>
    public abstract string File { get; set; }

    /// <summary>How often the file is checked for changes (default 2 s).</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(2);
}
