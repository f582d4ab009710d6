namespace GradientNode.Core.Secrets;

/// <summary>
/// Hides secret values in log lines as <c>***</c>, as CI systems mask theirs: a workflow job or a replica that prints
/// its token (a debug line, a failing <c>curl -v</c>) does not put it in <c>workflows logs</c>, <c>logs</c>, the console
/// or a job's kept <c>log.txt</c>. Logs are read line by line, so a multi-line value (a PEM key) is masked line by line. Lines of a
/// value shorter than <see cref="MinLength"/> characters (trimmed) are not masked: hiding every <c>1</c> or <c>on</c>
/// would garble the log and protect nothing a guess would not find.
/// </summary>
public sealed class LogMask
{
    public const int MinLength = 4;

    public const string Hidden = "***";

    private readonly string[] _values;

    public LogMask(IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _values = [.. secrets
            .SelectMany(s => s.Split('\n'))
            .Select(line => line.Trim())
            .Where(line => line.Length >= MinLength)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(line => line.Length)];
    }

    /// <summary>A mask that hides nothing: a job or deployment without secrets.</summary>
    public static LogMask None { get; } = new([]);

    public bool IsEmpty => _values.Length == 0;

    /// <summary><paramref name="line"/> with every secret value in it replaced by <see cref="Hidden"/>.</summary>
    public string Apply(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        foreach (var value in _values)
        {
            if (line.Contains(value, StringComparison.Ordinal))
            {
                line = line.Replace(value, Hidden, StringComparison.Ordinal);
            }
        }

        return line;
    }
}
