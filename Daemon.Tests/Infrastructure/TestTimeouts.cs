namespace GradientNode.Tests.Infrastructure;

/// <summary>The one place for test time limits: generous, because CI shares 2 cores.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Condition = TimeSpan.FromSeconds(20);

    public static readonly TimeSpan Request = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until true; fails with <paramref name="what"/> after <see cref="Condition"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Condition;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(20);
        }
    }
}
