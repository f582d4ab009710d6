using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using GradientNode.Core.Workflows.Specs;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// <c>validate</c>'s warnings for <c>secret:ephemeral:KEY</c> references: Gradient's syntax, so a file that holds one is
/// valid, but ephemeral secrets are a Paperspace cloud service and a node can never resolve one. The file passes; each
/// reference is named with its field and what it will do on this node, so the author learns it before applying.
/// </summary>
internal static class EphemeralSecretWarnings
{
    public static IEnumerable<string> Of(DeploymentSpec spec) =>
        SecretSnapshots.References(spec).Where(r => r.Secret.Ephemeral)
            .Select(r => Line(r.Field, r.Secret, "the deployment will be Failed, starting no replica"));

    public static IEnumerable<string> Of(WorkflowSpec spec)
    {
        foreach (var job in spec.Jobs)
        {
            var refs = job.Env.Where(e => e.Value.Secret is not null).Select(e => ($"jobs.{job.Id}.env.{e.Name}", e.Value.Secret!)).ToList();
            switch (job.With)
            {
                case GitCheckoutActionSpec git:
                    refs.Add(($"jobs.{job.Id}.with.username", git.Username?.Secret!));
                    refs.Add(($"jobs.{job.Id}.with.password", git.Password!));
                    break;
                case S3DownloadActionSpec s3:
                    refs.Add(($"jobs.{job.Id}.with.access-key", s3.AccessKey.Secret!));
                    refs.Add(($"jobs.{job.Id}.with.secret-access-key", s3.SecretAccessKey));
                    break;
            }

            foreach (var (field, secret) in refs.Where(r => r.Item2 is { Ephemeral: true }))
            {
                yield return Line(field, secret, $"every run will end ERROR at job '{job.Id}'");
            }
        }
    }

    private static string Line(string field, SecretRef secret, string consequence) =>
        $"warning: {field}: {secret} cannot be resolved on a node (ephemeral secrets are a Paperspace cloud service): {consequence}; store the value with 'gradient-node secrets set NAME' and write secret:NAME";
}
