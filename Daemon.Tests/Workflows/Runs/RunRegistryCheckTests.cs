using GradientNode.Core.Registries;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Runs;

/// <summary>A run is checked at submit for every <c>container-registries</c> name with no stored connection, at the place it was written.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class RunRegistryCheckTests
{
    private const string Yaml = """
        defaults:
          resources:
            instance-type: C4
            container-registries: [team, shared-gone]
        jobs:
          first:
            uses: container@v1
            with:
              image: gradient-test/web:1
          own:
            needs: [first]
            uses: container@v1
            resources:
              instance-type: C4
              container-registries:
                - team
                - typo-reg
            with:
              image: gradient-test/web:1
          third:
            needs: [own]
            uses: container@v1
            with:
              image: gradient-test/web:1
        """;

    [Test]
    public void Missing_NamesOfJobsAndDefaultsWithNoConnection_ListsEachAtItsItemInFileOrderDefaultsOnce()
    {
        var plan = Plan(Yaml);
        var asked = new List<string>();

        var missing = RunRegistryCheck.Missing(plan, name => { asked.Add(name); return name == "team"; }, WorkflowPositions.Read("w.yaml", Yaml).Value);

        Assert.Multiple(() =>
        {
            Assert.That(missing, Is.EqualTo(new[]
            {
                "w.yaml:4:34: defaults.resources.container-registries (for jobs first, third): 'shared-gone' is not a stored registry connection (add it: gradient-node registries add shared-gone --url docker.io --username U --password-stdin)",
                "w.yaml:17:11: jobs.own.resources.container-registries: 'typo-reg' is not a stored registry connection (add it: gradient-node registries add typo-reg --url docker.io --username U --password-stdin)",
            }));
            Assert.That(asked, Is.Unique, "each name looked up once");
        });
    }

    [Test]
    public void Missing_AStoredNameIsClose_NamesItBeforeTheWayToAddTheMisspeltOne()
    {
        var plan = Plan(Yaml);
        string[] stored = ["team", "shared-gone", "typo-regs"];

        var missing = RunRegistryCheck.Missing(plan, stored.Contains, null, stored: stored);

        Assert.That(missing, Is.EqualTo(new[]
        {
            "jobs.own.resources.container-registries: 'typo-reg' is not a stored registry connection; did you mean 'typo-regs'? (or add it: gradient-node registries add typo-reg --url docker.io --username U --password-stdin)",
        }));
    }

    [Test]
    public void Missing_EveryNameStoredOrNoPositions_EmptyOrUnheadedJobLines()
    {
        var plan = Plan(Yaml);

        var none = RunRegistryCheck.Missing(plan, _ => true, WorkflowPositions.Read("w.yaml", Yaml).Value);
        var unheaded = RunRegistryCheck.Missing(plan, name => name != "typo-reg", null);

        Assert.Multiple(() =>
        {
            Assert.That(none, Is.Empty);
            Assert.That(unheaded, Is.EqualTo(new[] { "jobs.own.resources.container-registries: 'typo-reg' is not a stored registry connection (add it: gradient-node registries add typo-reg --url docker.io --username U --password-stdin)" }));
        });
    }

    [Test]
    public void Missing_StoredFileDamaged_SaysItIsDamagedNotUnknown()
    {
        var state = Directory.CreateTempSubdirectory("gn-run-registries-").FullName;
        try
        {
            var registries = new RegistryStore(state);
            registries.Set(new RegistryConnection("team", "r.example", "ci", "pw-value", null, DateTimeOffset.UnixEpoch));
            File.WriteAllText(Path.Combine(registries.Directory, "typo-reg.json"), "not json");

            var missing = new JobImages(new ScriptedPullEngine(), registries).Missing(Plan(Yaml), WorkflowPositions.Read("w.yaml", Yaml).Value);

            Assert.That(missing, Is.EqualTo(new[]
            {
                "w.yaml:4:34: defaults.resources.container-registries (for jobs first, third): 'shared-gone' is not a stored registry connection (add it: gradient-node registries add shared-gone --url docker.io --username U --password-stdin)",
                "w.yaml:17:11: jobs.own.resources.container-registries: 'typo-reg': its stored file registries/typo-reg.json is damaged (it is not valid JSON at line 1, byte 2); add it again (gradient-node registries add typo-reg --url URL --username U --password-stdin) or remove it (gradient-node registries rm typo-reg)",
            }));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static RunPlan Plan(string yaml)
    {
        var parsed = WorkflowParser.Parse("w.yaml", yaml);
        Assert.That(parsed.IsValid, Is.True, string.Join("\n", parsed.Errors));
        return RunPlanBuilder.Build("w", parsed.Spec!, []).Plan!;
    }
}
