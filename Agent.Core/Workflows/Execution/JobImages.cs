using GradientNode.Core.Engine;
using GradientNode.Core.Registries;
using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// Makes a job's image present: the local image when there is one, else a pull, with the credentials of the first
/// of the job's <c>container-registries</c> whose registry host is the image's (a connection's password goes to its
/// own host only, as for deployments). A pull that fails is an ERROR whose message names the image, never a password.
/// </summary>
public sealed class JobImages(IContainerEngine engine, RegistryStore? registries)
{
    /// <summary>The plan's <c>container-registries</c> names with no stored connection now (<see cref="RunRegistryCheck"/>), for a run's submit check.</summary>
    public IReadOnlyList<string> Missing(RunPlan plan, Func<string, GradientNode.Core.Specs.SpecPosition?>? at) =>
        RunRegistryCheck.Missing(plan, name => registries?.Get(name) is not null, at, name => registries?.DamageOf(name), registries?.List().Select(r => r.Name));

    /// <returns>
    /// The image as found on the node, or after a pull as pulled, for the job's size check (its <c>ENV</c>, entrypoint and
    /// command, <see cref="RunArgumentCheck"/>) and the create's label check (<see cref="ContainerCreateRequest.InspectedImage"/>);
    /// null only when the pulled image cannot be inspected (the create inspects it then). Before (known18), null after every
    /// pull: a pulled image's <c>ENV</c> was not counted, and a job it took over ARG_MAX ended FAILED with <c>argument list too long</c>.
    /// </returns>
    public async Task<ImageDetails?> EnsureAsync(JobPlan job, string image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);

        // Checked first, as a deployment's containerRegistry is: a name with no connection is an error whether or not
        // the image happens to be on the node already. A run is refused at submit for such a name (RunRegistryCheck); this
        // is for a connection removed after it.
        var connections = job.Registries.Select(name => registries?.Get(name)
            ?? throw new JobFailedException(WorkflowPhase.Error, registries?.DamageOf(name) is { } damage
                ? $"jobs.{job.Id}: container-registries names {RegistryStore.DamagedProblem(name, damage)}"
                : $"jobs.{job.Id}: container-registries names '{name}', which is not a stored registry connection (add it: {RegistryAddHint.For(name, image)})")).ToList();
        if (await engine.InspectImageAsync(image, cancellationToken).ConfigureAwait(false) is { } present)
        {
            return present;
        }

        var connection = connections.FirstOrDefault(c => RegistryHost.Matches(c.Url, image));
        var auth = connection is null ? null : new RegistryAuth(connection.Username, connection.Password, connection.ServerAddress);

        try
        {
            await engine.PullImageAsync(image, auth, null, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException ex)
        {
            var with = connection is null ? "without credentials" : $"with the credentials of '{connection.Name}'";
            var next = (ex, connection) switch
            {
                // Listed connections, none for the image's host: say why none was used, as a deployment's containerRegistry
                // for another host says (before: a bare "without credentials" next to a list that names a connection).
                (_, null) when connections.Count > 0 => $" ({NoneForHost(connections, image)})",
                (ImagePullDeniedException, null) => " (a private image needs resources.container-registries: [NAME], a stored registry connection for its host)",
                _ => RegistryCheckHint.For(ex, connection, image),
            };
            throw new JobFailedException(WorkflowPhase.Error, $"jobs.{job.Id}: image '{image}' is not on the node and could not be pulled ({with}): {ex.Answer}{next}");
        }

        return await engine.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>container-registries has no connection for registry H: 'team' is for G; …</c></summary>
    private static string NoneForHost(IReadOnlyList<RegistryConnection> connections, string image)
    {
        var each = string.Join(", ", connections.Select(c => $"'{c.Name}' is for {RegistryHost.OfConnectionUrl(c.Url) ?? c.Url}"));
        return $"container-registries has no connection for registry {RegistryHost.OfImage(image) ?? image}: {each}; a connection's credentials are only sent to its own host";
    }
}
