using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Runs;

/// <summary>A run is checked at submit for every secret it names that the node cannot resolve, at the place it was written.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class RunSecretCheckTests
{
    private const string Yaml = """
        defaults:
          env:
            SHARED: secret:shared
            PLAIN: "x"
        jobs:
          first:
            uses: container@v1
            env:
              OK: secret:present
            with:
              image: gradient-test/web:1
          fetch:
            needs: [first]
            outputs: {src: {type: volume}}
            uses: git-checkout@v1
            with:
              url: https://example.com/r.git
              username: secret:gituser
              password: secret:gitpw
          last:
            needs: [fetch]
            uses: container@v1
            env:
              SHARED: secret:present
              TOKEN: secret:api-token
              EPH: secret:ephemeral:abc
            with:
              image: gradient-test/web:1
        """;

    [Test]
    public void Missing_SecretsOfLaterJobsAndDefaults_ListsEveryOneAtItsFieldInFileOrderOnce()
    {
        var plan = Plan(Yaml);
        var asked = new List<string>();

        var missing = RunSecretCheck.Missing(plan, name => { asked.Add(name); return name is "present" or "gituser"; }, WorkflowPositions.Read("w.yaml", Yaml).Value);

        Assert.Multiple(() =>
        {
            Assert.That(missing, Is.EqualTo(new[]
            {
                "w.yaml:3:13: defaults.env.SHARED (for jobs first, fetch): secret 'shared' does not exist on this node (add it: gradient-node secrets set shared)",
                "w.yaml:19:17: jobs.fetch.with.password: secret 'gitpw' does not exist on this node (add it: gradient-node secrets set gitpw)",
                "w.yaml:25:14: jobs.last.env.TOKEN: secret 'api-token' does not exist on this node (add it: gradient-node secrets set api-token)",
                "w.yaml:26:12: jobs.last.env.EPH: ephemeral secrets ('ephemeral:abc') exist only on Gradient's platform; store it on the node (gradient-node secrets set NAME) and use secret:NAME",
            }));
            Assert.That(asked, Is.Unique, "each secret looked up once");
            Assert.That(asked, Does.Not.Contain("ephemeral:abc"));
        });
    }

    [Test]
    public void Missing_EverySecretStoredOrNoPositions_EmptyOrUnheadedLines()
    {
        var plan = Plan(Yaml);

        var none = RunSecretCheck.Missing(plan, name => !name.StartsWith("ephemeral:", StringComparison.Ordinal), null);
        var unheaded = RunSecretCheck.Missing(plan, name => name != "api-token", null);

        Assert.Multiple(() =>
        {
            Assert.That(none, Has.Count.EqualTo(1).And.Some.StartsWith("jobs.last.env.EPH: ephemeral secrets"));
            Assert.That(unheaded, Does.Contain("jobs.last.env.TOKEN: secret 'api-token' does not exist on this node (add it: gradient-node secrets set api-token)"));
        });
    }

    [Test]
    public void Missing_AStoredNameIsClose_NamesItBeforeTheWayToAddTheMisspeltOne()
    {
        var plan = Plan(Yaml);
        string[] stored = ["present", "gituser", "gitpw", "api-token", "Shared", "api_token"];

        var missing = RunSecretCheck.Missing(plan, stored.Contains, null, stored: stored);

        Assert.That(missing.Where(m => !m.Contains("ephemeral", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            "defaults.env.SHARED (for jobs first, fetch): secret 'shared' does not exist on this node; did you mean 'Shared'? (or add it: gradient-node secrets set shared)",
        }));
    }

    [Test]
    public void Oversized_SecretTooLongForAnEnvEntry_ListsTheVariableAndSecretAtTheFieldNeverTheValue()
    {
        var plan = Plan(Yaml);
        var big = new string('k', 131072 - "SHARED=".Length - 1);
        var values = new Dictionary<string, string> { ["shared"] = big, ["present"] = big + "!", ["api-token"] = "short" };

        var oversized = RunSecretCheck.Oversized(plan, name => values.GetValueOrDefault(name), WorkflowPositions.Read("w.yaml", Yaml).Value);

        Assert.Multiple(() =>
        {
            Assert.That(oversized, Is.EqualTo(new[]
            {
                "w.yaml:24:15: jobs.last.env.SHARED: secret 'present' makes SHARED=… 131073 bytes with its NUL; Linux starts no process with an environment entry over 131072 (MAX_ARG_STRLEN): store a shorter secret, or give the job the text another way (a dataset it reads)",
            }));
            Assert.That(string.Concat(oversized), Does.Not.Contain("kkkk"), "never the value");
            Assert.That(oversized, Has.None.Contains("SHARED (for jobs"), "defaults.env.SHARED's entry is 131072 bytes with its NUL: the limit itself passes");
        });
    }

    private static RunPlan Plan(string yaml)
    {
        var parsed = WorkflowParser.Parse("w.yaml", yaml);
        Assert.That(parsed.IsValid, Is.True, string.Join("\n", parsed.Errors));
        return RunPlanBuilder.Build("w", parsed.Spec!, []).Plan!;
    }
}
