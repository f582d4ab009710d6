using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GradientNode.Tests.Infrastructure;

/// <summary>An <see cref="ILogger{T}"/> that keeps every event (id, level, formatted message) for assertions.</summary>
internal sealed class CollectingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> _events = new();

    public IReadOnlyList<(EventId Id, LogLevel Level, string Message)> Events => [.. _events];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _events.Enqueue((eventId, logLevel, formatter(state, exception)));
    }
}
