using Microsoft.Extensions.Logging;

namespace OpenClaw.Runtime.Tests.Persistence;

/// <summary>Keeps every log entry (level, event id, formatted message) for assertions.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly List<(LogLevel Level, EventId Id, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, EventId Id, string Message)> Entries
    {
        get { lock (_entries) return [.. _entries]; }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries) _entries.Add((logLevel, eventId, formatter(state, exception)));
    }
}

/// <summary>Records the entries of every logger it creates (category included in nothing: tests look at levels and text).</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly RecordingLogger<RecordingLoggerProvider> _logger = new();

    public IReadOnlyList<(LogLevel Level, EventId Id, string Message)> Entries => _logger.Entries;

    public ILogger CreateLogger(string categoryName) => _logger;

    public void Dispose()
    {
    }
}
