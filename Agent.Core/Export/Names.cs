using GradientNode.Core.Specs;
using k8s.Models;

namespace GradientNode.Core.Export;

/// <summary>Kubernetes object names (DNS-1123 labels) and the labels every exported object carries.</summary>
internal static class Names
{
    public const string NameLabel = "app.kubernetes.io/name";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>Lowercase letters, digits and single dashes, at most 63: the slug rule.</summary>
    public static string Of(string text)
    {
        var slug = DeploymentName.ToSlug(text);
        return slug.Length <= DeploymentName.MaxSlugLength ? slug : slug[..DeploymentName.MaxSlugLength].TrimEnd('-');
    }

    /// <summary>
    /// The Service's name: a Service name is a DNS-1035 label, which starts with a letter, so a slug that starts with a
    /// digit (<c>3d-model</c>) gets <c>svc-</c> in front; the API server refused the Service otherwise.
    /// </summary>
    public static string Service(string slug) => char.IsAsciiLetter(slug[0]) ? slug : Of($"svc-{slug}");

    public static V1ObjectMeta Meta(ExportContext context, string name, string? app = null) =>
        new() { Name = name, NamespaceProperty = context.Options.Namespace, Labels = Labels(app ?? name) };

    public static Dictionary<string, string> Labels(string app) => new() { [NameLabel] = app, [ManagedByLabel] = "gradient-node" };

    public static Dictionary<string, string> Selector(string app) => new() { [NameLabel] = app };

    /// <summary>The image pull Secret of a <c>containerRegistry</c> / <c>container-registries</c> name.</summary>
    public static string RegistrySecret(string registry) => Of($"registry-{registry}");
}
