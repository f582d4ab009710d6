using GradientNode.Core.Specs.Parsing;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary><c>timeout</c>: a positive number of seconds (fractions allowed), at most 30 days.</summary>
internal static class TimeoutReader
{
    public const double MaxSeconds = 30 * 24 * 3600;

    public static TimeSpan? Read(MappingReader block, string key = "timeout")
    {
        if (block.Number(key) is not { } seconds)
        {
            return null;
        }

        if (seconds is <= 0 or > MaxSeconds)
        {
            block.Error(key, $"must be a number of seconds above 0 and at most {MaxSeconds:0} (30 days)");
            return null;
        }

        return TimeSpan.FromSeconds(seconds);
    }
}
