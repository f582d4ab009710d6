using System.Text;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Specs;

/// <summary>
/// Generates hostile spec texts for the fuzz tests, deterministically from a seed: mutations of the example
/// specs and the golden cases (truncations, type swaps, deep nesting, huge scalars, anchors and aliases,
/// duplicate keys, invalid UTF-8, NUL bytes, BOMs, tabs, YAML punctuation, tags, extra documents).
/// </summary>
internal sealed class SpecMutator(IReadOnlyList<string> seeds, int seed)
{
    private const int Kinds = 16;

    private static readonly string[] Swaps =
    [
        "[a, b]", "{a: 1}", "x", "null", "~", "''", "\"\"", "- 1", "[]", "{}", "-1", "99999999999999999999", "1e400",
        "true", ".nan", "|\n  block", "!!binary aGVsbG8=", "!foo bar", "!!map {}", "? complex\n: key", "*undefined",
        "secret:", "secret:../x", "https://a b", "--pathspec-from-file=/etc/shadow", "s3://", "\"\\uD800\"",
    ];

    private static readonly string[] Punctuation = [":", "-", "'", "\"", "|", ">", "&", "*", "!", "%", "@", "`", "{", "}", "[", "]", "#", "?", ",", "\\", "\t", "\r", "\n", " "];

    private readonly Random _random = new(seed);

    /// <summary>The example specs and every golden case's spec.yaml.</summary>
    public static IReadOnlyList<string> LoadSeeds()
    {
        var golden = Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata", "specs");
        var examples = Path.Combine(ShellTool.RepoRoot(), "examples", "specs");
        var files = Directory.EnumerateFiles(golden, "spec.yaml", SearchOption.AllDirectories)
            .Concat(Directory.Exists(examples) ? Directory.EnumerateFiles(examples, "*.yaml") : [])
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.That(files, Has.Count.GreaterThan(10), "fuzz seeds");
        return [.. files.Select(File.ReadAllText)];
    }

    /// <summary>The next mutant: one seed with one to three mutations applied.</summary>
    public string Next()
    {
        var text = seeds[_random.Next(seeds.Count)];
        var rounds = 1 + _random.Next(3);
        for (var i = 0; i < rounds; i++)
        {
            text = Mutate(text, _random.Next(Kinds));
        }

        return text;
    }

    private string Mutate(string text, int kind) => kind switch
    {
        0 => text[.._random.Next(text.Length + 1)],
        1 => ReplaceValue(text, Swaps[_random.Next(Swaps.Length)]),
        2 => ReplaceValue(text, Deep()),
        3 => ReplaceValue(text, new string('x', _random.Next(10) == 0 ? 300_000 : 5_000)),
        4 => Aliases(text),
        5 => DuplicateLine(text),
        6 => InvalidUtf8(text),
        7 => Insert(text, "\0"),
        8 => _random.Next(2) == 0 ? "\uFEFF" + text : Insert(text, "\uFEFF"),
        9 => text.Replace("\n  ", "\n\t", StringComparison.Ordinal),
        10 => Insert(text, Punctuation[_random.Next(Punctuation.Length)]),
        11 => Delete(text),
        12 => _random.Next(2) == 0 ? "%YAML 1.1\n---\n" + text : text + "\n---\n" + text,
        13 => SpliceLine(text),
        14 => Insert(text, "\uD800"),
        _ => ReplaceValue(text, "&a " + Swaps[_random.Next(Swaps.Length)]) + "\nextra: *a\n",
    };

    private string Deep()
    {
        int[] depths = [10, 63, 64, 65, 200, 5_000, 200_000];
        var depth = depths[_random.Next(depths.Length)];
        return _random.Next(3) switch
        {
            0 => new string('[', depth),
            1 => new string('[', depth) + new string(']', depth),
            _ => string.Concat(Enumerable.Repeat("{a: ", Math.Min(depth, 5_000))),
        };
    }

    private string Aliases(string text) => _random.Next(3) switch
    {
        0 => text + "\nlol:\n  a: &a [x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]"
            + "\n  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n  g: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
        1 => "base: &base\n  image: x\n  resources: {machineType: C4}\n" + text + "\nagain: *base\n",
        _ => ReplaceValue(text, "&r [1, *r]"),
    };

    private string ReplaceValue(string text, string value)
    {
        var lines = text.Split('\n');
        var candidates = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(": ", StringComparison.Ordinal)).ToList();
        if (candidates.Count == 0)
        {
            return text + "\nimage: " + value;
        }

        var at = candidates[_random.Next(candidates.Count)];
        lines[at] = lines[at][..(lines[at].IndexOf(": ", StringComparison.Ordinal) + 2)] + value;
        return string.Join('\n', lines);
    }

    private string DuplicateLine(string text)
    {
        var lines = text.Split('\n').ToList();
        var at = _random.Next(lines.Count);
        lines.Insert(at, lines[at]);
        return string.Join('\n', lines);
    }

    private string SpliceLine(string text)
    {
        var lines = text.Split('\n').ToList();
        var donor = seeds[_random.Next(seeds.Count)].Split('\n');
        lines.Insert(_random.Next(lines.Count + 1), donor[_random.Next(donor.Length)]);
        return string.Join('\n', lines);
    }

    private string InvalidUtf8(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text).ToList();
        byte[][] bad = [[0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF8, 0x88, 0x80, 0x80, 0x80]];
        bytes.InsertRange(_random.Next(bytes.Count + 1), bad[_random.Next(bad.Length)]);
        return Encoding.UTF8.GetString([.. bytes]);
    }

    private string Insert(string text, string what) => text.Insert(_random.Next(text.Length + 1), what);

    private string Delete(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var at = _random.Next(text.Length);
        return text.Remove(at, Math.Min(1 + _random.Next(8), text.Length - at));
    }
}
