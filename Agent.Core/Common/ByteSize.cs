using System.Globalization;

namespace GradientNode.Core.Common;

/// <summary>A size in bytes as messages name it: <c>2 GiB</c>, <c>1.5 GiB</c>, <c>512 MiB</c>, or bytes under 1 MiB.</summary>
public static class ByteSize
{
    public static string Describe(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
