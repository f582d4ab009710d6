namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// A fake clock whose wall clock can step apart from its monotonic clock, as a real one does when NTP steps it, a VM
/// resumes or an operator runs <c>date -s</c>: <see cref="Advance"/> moves both (time passes), <see cref="Step"/> moves only
/// <see cref="GetUtcNow"/>. Timers and <see cref="GetTimestamp"/> follow the monotonic clock, as .NET's do.
/// </summary>
internal sealed class SteppingTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _steady = new(start);
    private long _stepTicks;

    public SteppingTimeProvider()
        : this(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Time passes: the wall and the monotonic clock both move on, and timers due meanwhile fire.</summary>
    public void Advance(TimeSpan delta) => _steady.Advance(delta);

    /// <summary>The wall clock alone steps by <paramref name="delta"/> (negative: back).</summary>
    public void Step(TimeSpan delta) => Interlocked.Add(ref _stepTicks, delta.Ticks);

    public override DateTimeOffset GetUtcNow() => _steady.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _stepTicks));

    public override long GetTimestamp() => _steady.GetTimestamp();

    public override long TimestampFrequency => _steady.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _steady.CreateTimer(callback, state, dueTime, period);
}
