using System.Globalization;
using Microsoft.Extensions.Logging;

namespace SsoVault.Cli.Infrastructure;

/// <summary>
/// Appends log lines to the node's log file (and, with --verbose, to stderr). Lines carry the event id, so ENTSSO
/// monitoring rules keyed on event numbers can match them. Exceptions are logged by type and message only: SsoVault's
/// messages never contain secrets, and stack traces add nothing for operators.
/// </summary>
internal sealed class FileLoggerProvider : ILoggerProvider
{
    private readonly object _gate = new();
    private readonly StreamWriter? _file;
    private readonly TextWriter? _console;

    public FileLoggerProvider(string? logDirectory, TextWriter? console)
    {
        _console = console;
        if (logDirectory is not null && Directory.Exists(Path.GetDirectoryName(logDirectory)))
        {
            Directory.CreateDirectory(logDirectory);
            var stream = new FileStream(Path.Combine(logDirectory, "ssovault.log"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            _file = new StreamWriter(stream) { AutoFlush = true };
        }
    }

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void Dispose() => _file?.Dispose();

    private void Write(string line)
    {
        lock (_gate)
        {
            _file?.WriteLine(line);
            _console?.WriteLine(line);
        }
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = string.Create(CultureInfo.InvariantCulture,
                $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {logLevel,-11} [{eventId.Id}] {category}: {formatter(state, exception)}");
            if (exception is not null)
            {
                line += $" ({exception.GetType().Name}: {exception.Message})";
            }

            provider.Write(line);
        }
    }
}
