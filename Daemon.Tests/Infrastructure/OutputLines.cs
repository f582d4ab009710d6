namespace GradientNode.Tests.Infrastructure;

/// <summary>The lines a child process writes (stdout and stderr as they come), safe to read while it runs.</summary>
internal sealed class OutputLines
{
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public string Text => string.Join('\n', Lines);

    /// <summary>Adds a line; null (the end of a stream) is ignored.</summary>
    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Add(line);
        }
    }

    /// <summary>The first line that matches <paramref name="match"/>, once there is one; fails with all lines after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan timeout)
    {
        string? found = null;
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult((found = Lines.FirstOrDefault(match)) is not null), timeout, () => $"a line in the output so far:\n{Text}");
        return found!;
    }
}
