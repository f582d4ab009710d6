namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also counts the timers alive (created, not yet disposed), so that a test can tell
/// when a loop on the fake clock is parked on its next wait before it advances the clock (a timer created after the
/// advance would be due later than the test meant).
/// </summary>
internal sealed class TimerCountingTimeProvider(FakeTimeProvider fake) : TimeProvider
{
    private int _active;
    private int _created;

    public FakeTimeProvider Fake => fake;

    /// <summary>Timers created and not disposed: a <c>Task.Delay</c> or <c>WaitAsync(timeout)</c> in progress.</summary>
    public int ActiveTimers => Volatile.Read(ref _active);

    /// <summary>Timers created, disposed or not.</summary>
    public int CreatedTimers => Volatile.Read(ref _created);

    public override TimeZoneInfo LocalTimeZone => fake.LocalTimeZone;

    public override long TimestampFrequency => fake.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => fake.GetUtcNow();

    public override long GetTimestamp() => fake.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _active);
        Interlocked.Increment(ref _created);
        return new CountedTimer(fake.CreateTimer(callback, state, dueTime, period), () => Interlocked.Decrement(ref _active));
    }
}
