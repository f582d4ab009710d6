using System.Globalization;
using System.Text;

namespace GradientNode.Core.Common;

/// <summary>
/// The Prometheus text format 0.0.4, written in one place for every <c>/metrics</c> series of the daemon and the
/// proxy: a family's <c># HELP</c>/<c># TYPE</c> header, a sample line with escaped label values, numbers in
/// the invariant culture (doubles as the shortest round-trip form).
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary><c># HELP name help</c> and <c># TYPE name type</c> (<c>counter</c>, <c>gauge</c>, <c>histogram</c>).</summary>
    public static void Family(StringBuilder text, string name, string type, string help)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    /// <summary>One sample: <c>name{label="value",...} value</c> (no braces without labels).</summary>
    public static void Sample(StringBuilder text, string name, long value, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        SampleStart(text, name, labels);
        text.Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <inheritdoc cref="Sample(StringBuilder, string, long, ReadOnlySpan{ValueTuple{string, string}})"/>
    public static void Sample(StringBuilder text, string name, double value, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        SampleStart(text, name, labels);
        text.Append(Number(value)).Append('\n');
    }

    /// <summary>A double as Prometheus reads it back exactly (shortest round-trip, invariant culture).</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A label value with <c>\</c>, <c>"</c> and newlines escaped.</summary>
    public static string Escape(string value) =>
        value.AsSpan().IndexOfAny("\\\"\n") < 0
            ? value
            : value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static void SampleStart(StringBuilder text, string name, ReadOnlySpan<(string Name, string Value)> labels)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Append(name);
        if (labels.IsEmpty)
        {
            text.Append(' ');
            return;
        }

        var separator = '{';
        foreach (var (labelName, labelValue) in labels)
        {
            text.Append(separator).Append(labelName).Append("=\"").Append(Escape(labelValue)).Append('"');
            separator = ',';
        }

        text.Append("} ");
    }
}
