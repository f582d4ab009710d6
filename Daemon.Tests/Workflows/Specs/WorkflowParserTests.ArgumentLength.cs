using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Specs;

/// <summary>
/// Linux starts no process with one argument or environment entry over 128 KiB (MAX_ARG_STRLEN, its NUL included), and
/// a value may hold 256 Ki characters: such an <c>args</c> item or <c>env</c> value validated and the job then ended FAILED
/// with <c>exec …: argument list too long</c> (found by workflows15, as script@v1's own script did).
/// </summary>
internal sealed partial class WorkflowParserTests
{
    [Test]
    public void Parse_ArgumentOrEnvEntryLongerThanLinuxTakes_ErrorAtTheValueNamingTheLimit()
    {
        var big = new string('x', 140 * 1024);
        var yaml = $"jobs:\n  a:\n    env:\n      BIG: {big}\n    uses: container@v1\n    with:\n      image: busybox\n      command: [sh, -c]\n      args:\n        - echo\n        - {big}\n";

        var result = WorkflowParser.Parse("w.yaml", yaml);

        Assert.Multiple(() =>
        {
            Assert.That(result.Spec, Is.Null);
            Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
            {
                "w.yaml:4:12: jobs.a.env.BIG: BIG=… is 143365 bytes with its NUL; Linux starts no process with an environment entry over 131072 (MAX_ARG_STRLEN): give long text as a string input, read from /inputs/NAME",
                "w.yaml:11:11: jobs.a.with.args[1]: 143361 bytes with its NUL; Linux starts no process with an argument over 131072 (MAX_ARG_STRLEN): put long text in a script@v1 script or a file the job reads",
            }));
        });
    }

    [Test]
    public void Parse_EnvAndArgsTogetherOverArgMax_ErrorAtTheJobNamingTotalLimitAndLargest()
    {
        // Each entry is under 128 KiB, together over 2 MiB: before (workflows17) it validated, and the job ended FAILED with
        // `exec …: argument list too long` (dockerd 20.10 + runc: a container's strings over 2097152 bytes do not start). A file
        // holds at most 1 Mi characters, so only text of several UTF-8 bytes a character gets there: € is three.
        var env = string.Concat(Enumerable.Range(0, 19).Select(i => $"      V{i:00}: {new string('€', 36_666)}\n"));
        var yaml = $"jobs:\n  a:\n    env:\n{env}    uses: container@v1\n    with:\n      image: busybox\n      args: [{new string('€', 40_000)}]\n";

        var result = WorkflowParser.Parse("w.yaml", yaml);

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "w.yaml:3:5: jobs.a: its environment and arguments come to 2214314 bytes (each string with its NUL and pointer, and 4096 for what the engine adds); Linux starts no process with more than 2097152 (ARG_MAX, a quarter of the container's 8 MiB stack limit); the largest: args[0] 120009, env.V00 110011, env.V01 110011: give long text as a string input or a dataset, which the job reads from /inputs/NAME",
        }));
    }

    [Test]
    public void Parse_EnvUnderArgMaxWithASecretNotCountedYet_Valid()
    {
        var env = string.Concat(Enumerable.Range(0, 18).Select(i => $"      V{i:00}: {new string('€', 36_666)}\n"));
        var yaml = $"jobs:\n  a:\n    env:\n{env}      TOKEN: secret:big\n    uses: script@v1\n    with:\n      image: busybox\n      script: echo\n";

        Assert.That(WorkflowParser.Parse("w.yaml", yaml).Errors, Is.Empty, "18 x 110011 + 15 + 4096 bytes; the secret's value is counted at submit");
    }

    [Test]
    public void Parse_ArgumentAndEnvEntryAtLinuxsLimit_Valid()
    {
        var arg = new string('x', 131071);
        var value = new string('é', (131071 - "BIG=".Length) / 2); // two bytes each in UTF-8: bytes, not characters, count
        var yaml = $"jobs:\n  a:\n    env:\n      BIG: {value}\n    uses: container@v1\n    with:\n      image: busybox\n      args: [{arg}]\n";

        var result = WorkflowParser.Parse("w.yaml", yaml);

        Assert.That(result.Errors, Is.Empty);
    }
}
