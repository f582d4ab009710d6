using System.Text.RegularExpressions;
using GradientNode.Core.Common;
using k8s.Models;

namespace GradientNode.Core.Export;

/// <summary>
/// The export's options as the cluster will read them: a value the API server or the image puller would reject is a
/// usage error naming the flag, never a manifest that fails at <c>kubectl apply</c>.
/// </summary>
public static partial class ExportOptionChecks
{
    /// <summary>One line per bad option (<c>--flag: 'value' ...</c>); empty when every option is usable.</summary>
    public static IReadOnlyList<string> Problems(ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        Image(problems, "--git-image", options.GitImage);
        Image(problems, "--s3-image", options.S3Image);
        if (!IsQuantity(options.VolumeSize, out var why))
        {
            problems.Add($"--pvc-size: '{options.VolumeSize}' {why}");
        }

        if (options.StorageClass is { } storageClass && !IsSubdomain(storageClass))
        {
            problems.Add($"--storage-class: '{storageClass}' is not a valid name (lowercase letters, digits, '-' and '.', at most 253)");
        }

        if (options.ServiceAccount is { } account && !IsSubdomain(account))
        {
            problems.Add($"--service-account: '{account}' is not a valid name (lowercase letters, digits, '-' and '.', at most 253)");
        }

        if (options.Namespace is { } ns && !Label().IsMatch(ns))
        {
            problems.Add($"--namespace: '{ns}' is not a valid namespace (lowercase letters, digits and '-', at most 63)");
        }

        if (!Label().IsMatch(options.IngressNamespace))
        {
            problems.Add($"--ingress-namespace: '{options.IngressNamespace}' is not a valid namespace (lowercase letters, digits and '-', at most 63)");
        }

        if (!IsSubdomain(options.Domain))
        {
            problems.Add($"--domain: '{options.Domain}' is not a valid DNS name (lowercase letters, digits, '-' and '.')");
        }

        foreach (var (key, value) in options.NodeSelector)
        {
            if (!IsLabelKey(key) || !(value.Length == 0 || LabelName().IsMatch(value)))
            {
                problems.Add($"--node-selector: '{key}={value}' is not a Kubernetes label: KEY is [PREFIX/]NAME, VALUE empty or NAME (NAME: letters, digits, '-', '_', '.', at most 63, starting and ending with a letter or digit; PREFIX a DNS name)");
            }
        }

        return problems;
    }

    private static bool IsLabelKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? LabelName().IsMatch(key) : IsSubdomain(key[..slash]) && LabelName().IsMatch(key[(slash + 1)..]);
    }

    private static void Image(List<string> problems, string flag, string image)
    {
        if (!ImageReference.TryParse(image, out _, out var error))
        {
            problems.Add($"{flag}: '{image}' is not an image reference: {error}");
        }
    }

    /// <summary>A positive Kubernetes quantity with a unit suffix or a plain number of bytes (10Gi, 500M, 1e9).</summary>
    private static bool IsQuantity(string text, out string why)
    {
        why = "is not a Kubernetes quantity (e.g. 10Gi, 500Mi)";
        if (!Quantity().IsMatch(text))
        {
            return false;
        }

        try
        {
            if (new ResourceQuantity(text).ToDecimal() > 0)
            {
                return true;
            }

            why = "is not a positive size";
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            why = "is too large";
            return false;
        }
    }

    private static bool IsSubdomain(string name) =>
        name.Length <= 253 && name.Split('.').All(label => Label().IsMatch(label));

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Label();

    /// <summary>A label's name part or value (k8s.io/apimachinery validation.IsQualifiedName's name).</summary>
    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelName();

    /// <summary>The API's quantity grammar (k8s.io/apimachinery resource.Quantity), unsigned.</summary>
    [GeneratedRegex("^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+|[KMGTPE]i|[numkMGTPE])?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Quantity();
}
