// Over 300 lines: the status rules as one fixture of small cases over one set of replica builders; the port, exit and first-version cases live in partial files.
using GradientNode.Core.Catalog;
using GradientNode.Core.Common;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed partial class StatusBuilderTests
{
    private const string Hash = "aaaaaaaaaaaa";
    private const string OldHash = "bbbbbbbbbbbb";
    private const string File = "/specs/hello.yaml";
    private const string Endpoint = "http://hello.localhost:8080/";
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly DeploymentSpec Spec = SpecParser.Parse(File, """
        name: hello
        image: nginx:1.27
        resources:
          machineType: C4
          ports: [8080, 9090]
          replicas: 2
        """).Spec!;

    [Test]
    public void Build_EntryWithoutSpec_IsInvalidWithErrors()
    {
        var errors = new[] { new SpecError(File, 3, 1, "unknown key 'imag'"), new SpecError(File, 1, 1, "image is required") };
        var entry = new CatalogEntry("hello", "hello", File, null, new EquatableArray<SpecError>(errors), EquatableArray<string>.Empty);

        var status = StatusBuilder.Build(Input(entry, DesiredReplicas.None("invalid"), []));

        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(DeploymentState.Invalid));
            Assert.That(status.Message, Is.EqualTo("spec file has 2 errors; nothing runs until it is fixed"));
            Assert.That(status.Errors, Is.EqualTo(new[] { $"{File}:3:1: unknown key 'imag'", $"{File}:1:1: image is required" }));
            Assert.That(status.SpecHash, Is.Null);
            Assert.That(status.Image, Is.Null);
            Assert.That(status.Enabled, Is.False);
            Assert.That(status.SpecFile, Is.EqualTo(File));
        });
    }

    [Test]
    public void Build_DisabledNothingObserved_IsDisabledWithTheReason()
    {
        var entry = Entry(Spec with { Enabled = false });

        var status = StatusBuilder.Build(Input(entry, DesiredReplicas.None("enabled: false"), []));

        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(DeploymentState.Disabled));
            Assert.That(status.Message, Is.EqualTo("enabled: false"));
            Assert.That(status.Enabled, Is.False);
            Assert.That(status.DesiredReplicas, Is.Zero);
        });
    }

    [Test]
    public void Build_RemovedNothingObserved_IsDisabledDeploymentRemoved()
    {
        var status = StatusBuilder.Build(Input(null, DesiredReplicas.None("removed"), []));

        Assert.That(status.State, Is.EqualTo(DeploymentState.Disabled));
        Assert.That(status.Message, Is.EqualTo("deployment removed"));
        Assert.That(status.Name, Is.EqualTo("hello"));
    }

    [Test]
    public void Build_DisabledWhileReplicasStillExist_IsProgressingStopping()
    {
        var status = StatusBuilder.Build(Input(Entry(Spec), DesiredReplicas.None("disabled"), [Live(0, Hash), Live(1, Hash)]));

        Assert.That(status.State, Is.EqualTo(DeploymentState.Progressing));
        Assert.That(status.Message, Is.EqualTo("stopping 2 replicas (disabled)"));
    }

    [Test]
    public void Build_AllCurrentReady_IsReady()
    {
        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash), Live(1, Hash)]));

        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(DeploymentState.Ready));
            Assert.That(status.Message, Is.EqualTo("2/2 replicas ready"));
            Assert.That(status.ReadyReplicas, Is.EqualTo(2));
            Assert.That(status.DesiredReplicas, Is.EqualTo(2));
            Assert.That(status.SpecHash, Is.EqualTo(Hash));
            Assert.That(status.Image, Is.EqualTo("nginx:1.27"));
            Assert.That(status.Enabled, Is.True);
            Assert.That(status.Endpoint, Is.EqualTo(Endpoint));
            Assert.That(status.BasicAuthSecret, Is.Null, "an open endpoint");
            Assert.That(status.ObservedAt, Is.EqualTo(Now));
            Assert.That(status.Errors, Is.Empty);
        });
    }

    [Test]
    public void Build_ProtectedEndpoint_NamesTheSecretNotItsValue()
    {
        var status = StatusBuilder.Build(Input(Entry(Spec with { BasicAuthKey = new SecretRef("web_password") }), new DesiredReplicas(2, Hash), [Live(0, Hash), Live(1, Hash)]));

        Assert.That(status.BasicAuthSecret, Is.EqualTo("web_password"));
    }

    [Test]
    public void Build_NotYetReady_IsProgressing()
    {
        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash), Live(1, Hash, ready: false)]));

        Assert.That(status.State, Is.EqualTo(DeploymentState.Progressing));
        Assert.That(status.Message, Is.EqualTo("1/2 replicas ready"));
    }

    [Test]
    public void Build_WhilePulling_CarriesPullAndSaysHowFarItGot()
    {
        var pull = new PullStatus { Image = "nginx:1.27", LayersDone = 3, LayersTotal = 7, BytesDone = 12_300_000, BytesTotal = 45_600_000, StartedAt = Now };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), []) with { Pull = pull });

        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(DeploymentState.Progressing));
            Assert.That(status.Message, Is.EqualTo("0/2 replicas ready; pulling nginx:1.27 12.3 MB of 45.6 MB (3/7 layers)"));
            Assert.That(status.Pull, Is.EqualTo(pull));
        });
    }

    [Test]
    public void Build_ReplicaLostItsGpu_IsDegradedStoppingWithTheReason()
    {
        var lost = Live(1, Hash, ready: false) with { GpuLoss = "GPU lost: Failed to initialize NVML: Unknown Error" };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash), lost]));

        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(DeploymentState.Degraded));
            Assert.That(status.Message, Is.EqualTo("1/2 ready: replica 1: GPU lost: Failed to initialize NVML: Unknown Error"));
            Assert.That(StatusBuilder.Lifecycle(lost), Is.EqualTo(("stopping", "GPU lost: Failed to initialize NVML: Unknown Error")));
        });
    }

    [Test]
    public void Build_NotPulling_PullIsNull()
    {
        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash), Live(1, Hash)]));

        Assert.That(status.Pull, Is.Null);
    }

    [Test]
    public void Build_OldHashStillPresent_IsProgressingReplacing()
    {
        var observed = new[] { Live(0, OldHash), Live(1, OldHash), Live(0, Hash), Live(1, Hash, ready: false) };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), observed));

        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(DeploymentState.Progressing));
            Assert.That(status.Message, Does.Contain("replacing 2 old replicas"));
            Assert.That(status.Replicas.Select(i => i.Current), Is.EqualTo(new[] { false, false, true, true }));
        });
    }

    [Test]
    public void Build_CurrentReplicaExited_IsDegradedNamingTheExitCode()
    {
        var observed = new[] { Live(0, Hash), Exited(1, Hash, 137) };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), observed, backoffUntil: Now.AddSeconds(9.2)));

        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(DeploymentState.Degraded));
            Assert.That(status.Message, Does.Contain("replica 1 exited with code 137 (SIGKILL: killed"));
            Assert.That(status.Message, Does.EndWith("; restarting in 10s"));
            Assert.That(status.Message, Does.StartWith("1/2 ready"));
            Assert.That(status.RestartAt, Is.EqualTo(Now.AddSeconds(9.2)), "what the countdown is read against later");
        });
    }

    [Test]
    public void Build_BackoffButAnErrorIsSaidInstead_NoRestartAt()
    {
        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash), Exited(1, Hash, 3)], error: "secret 'token' is not set", backoffUntil: Now.AddSeconds(9)));

        Assert.That(status.RestartAt, Is.Null, status.Message);
    }

    [Test]
    public void Build_ErrorAndNothingReady_IsFailedWithTheError()
    {
        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [], error: "image nginx:1.27 not found"));

        Assert.That(status.State, Is.EqualTo(DeploymentState.Failed));
        Assert.That(status.Message, Is.EqualTo("image nginx:1.27 not found"));
        Assert.That(status.Blocked, Is.EqualTo("image nginx:1.27 not found"));
    }

    [Test]
    public void Build_ErrorButOneReady_IsDegraded()
    {
        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash)], error: "no GPU left"));

        Assert.That(status.State, Is.EqualTo(DeploymentState.Degraded));
        Assert.That(status.Message, Is.EqualTo("no GPU left"));
        Assert.That(status.ReadyReplicas, Is.EqualTo(1));
        Assert.That(status.Blocked, Is.EqualTo("no GPU left"), "the older version serves, and an error blocks the new one");
    }


    [Test]
    public void Build_ReadyDuplicatesAndSurplus_CountsDistinctIndexesBelowDesired()
    {
        var observed = new[] { Live(0, OldHash), Live(0, Hash), Live(1, Hash, ready: false), Live(2, Hash), Live(-1, Hash) };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), observed));

        Assert.That(status.ReadyReplicas, Is.EqualTo(1));
    }

    [Test]
    public void Build_EntryWithErrorsAndLastGoodSpec_SaysTheLastGoodVersionKeepsRunning()
    {
        var entry = Entry(Spec) with { Errors = new EquatableArray<SpecError>([new SpecError(File, 4, 7, "replicas must be a number")]) };

        var status = StatusBuilder.Build(Input(entry, new DesiredReplicas(2, Hash), [Live(0, Hash), Live(1, Hash)]));

        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(DeploymentState.Ready));
            Assert.That(status.Errors, Is.EqualTo(new[] { $"{File}:4:7: replicas must be a number" }));
            Assert.That(status.Message, Is.EqualTo("spec file has 1 error; the last good version keeps running. 2/2 replicas ready"));
        });
    }

    [Test]
    public void Build_Replicas_AddressIsIpAndFirstPort()
    {
        var observed = new[] { Live(0, Hash) with { IpAddress = "172.18.0.5", Restarts = 2, ExitCode = 1 }, Exited(1, Hash, 3) };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), observed));

        Assert.Multiple(() =>
        {
            var first = status.Replicas[0];
            Assert.That(first.Id, Is.EqualTo("hello-0"));
            Assert.That(first.Address, Is.EqualTo("172.18.0.5:8080"));
            Assert.That(first.Restarts, Is.EqualTo(2));
            Assert.That(first.LastExitCode, Is.EqualTo(1));
            Assert.That(first.State, Is.EqualTo("running"));
            Assert.That(status.Replicas[1].Address, Is.Null);
            Assert.That(status.Replicas[1].LastExitCode, Is.EqualTo(3));
        });
    }

    [Test]
    public void Build_Conflicts_AreListed()
    {
        var entry = Entry(Spec) with { Conflicts = new EquatableArray<string>(["/specs/other.yaml:1:1: deployment 'hello' is already defined"]) };

        var status = StatusBuilder.Build(Input(entry, new DesiredReplicas(2, Hash), []));

        Assert.That(status.Conflicts, Has.Count.EqualTo(1));
    }

    [Test]
    public void Build_FileIgnoredForTheSameName_MessageNamesItFirst()
    {
        // Before: only `get` showed the conflict; the message, which `ls` and the API's list show, did not.
        var entry = Entry(Spec) with
        {
            Conflicts = new EquatableArray<string>(["/specs/other.yaml:1:7: deployment 'hello' is already defined in /specs/hello.yaml; …"]),
            IgnoredFiles = new EquatableArray<string>(["/specs/other.yaml"]),
        };

        var status = StatusBuilder.Build(Input(entry, new DesiredReplicas(2, Hash), []));

        Assert.That(status.Message, Is.EqualTo("name also declared in /specs/other.yaml, which is ignored; 0/2 replicas ready"));
    }

    private static CatalogEntry Entry(DeploymentSpec spec) =>
        new(spec.Slug, spec.Name, File, spec, EquatableArray<SpecError>.Empty, EquatableArray<string>.Empty);

    private static StatusBuilder.Input Input(
        CatalogEntry? entry,
        DesiredReplicas desired,
        IReadOnlyList<ObservedReplica> observed,
        string? error = null,
        DateTimeOffset? backoffUntil = null) =>
        new("hello", entry, desired, observed, error, backoffUntil, [], Endpoint, Now);

    private static ObservedReplica Live(int index, string hash, bool ready = true) => new()
    {
        ContainerId = $"id-{index}-{hash}",
        ContainerName = $"gradient-hello-{index}-abcdef",
        Index = index,
        SpecHash = hash,
        Running = true,
        State = "running",
        Ready = ready,
        IpAddress = $"172.17.0.{index + 10}",
        Created = Now.AddMinutes(-5),
    };

    private static ObservedReplica Exited(int index, string hash, int exitCode) => new()
    {
        ContainerId = $"id-{index}-{hash}",
        ContainerName = $"gradient-hello-{index}-fedcba",
        Index = index,
        SpecHash = hash,
        Running = false,
        State = "exited",
        ExitCode = exitCode,
        Created = Now.AddMinutes(-5),
        FinishedAt = Now.AddSeconds(-1),
    };
}
