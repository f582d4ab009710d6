using GradientNode.Core.Specs;

namespace GradientNode.Core.Export;

/// <summary>The endpoint: a Service on the first port and an ingress-nginx Ingress for <c>&lt;slug&gt;.&lt;domain&gt;</c> with TLS and basic auth.</summary>
internal static class Exposure
{
    public const string BasicAuthUser = "paperspace";

    public static void Add(ExportContext context, DeploymentSpec spec)
    {
        var slug = spec.Slug;
        var port = spec.Resources.FirstPort;
        var service = new ServiceSpecDto(Names.Selector(slug), [new ServicePort("http", port, port, "TCP")]);
        context.Add($"{slug}.service.yaml", new KubeObject("v1", "Service", Names.Meta(context, slug), service));
        var host = $"{slug}.{context.Options.Domain}";
        var tlsSecret = $"{slug}-tls";
        var annotations = new Dictionary<string, string>();
        if (spec.BasicAuthKey is { } key)
        {
            var authSecret = $"{slug}-basic-auth";
            annotations["nginx.ingress.kubernetes.io/auth-type"] = "basic";
            annotations["nginx.ingress.kubernetes.io/auth-secret"] = authSecret;
            annotations["nginx.ingress.kubernetes.io/auth-realm"] = "Authentication Required";
            context.Command($"htpasswd -nbB {BasicAuthUser} '<value of secret {key.Name}>' > auth && kubectl{context.NamespaceFlag} create secret generic {authSecret} --from-file=auth && rm auth");
        }

        var path = new IngressPath("/", "Prefix", new IngressBackend(new ServiceBackend(slug, new PortNumber(port))));
        var ingress = new IngressSpecDto("nginx", [new IngressTls([host], tlsSecret)], [new IngressRule(host, new HttpIngressRule([path]))]);
        var meta = Names.Meta(context, slug) with { Annotations = annotations.Count == 0 ? null : annotations };
        context.Add($"{slug}.ingress.yaml", new KubeObject("networking.k8s.io/v1", "Ingress", meta, ingress));
        context.Command($"kubectl{context.NamespaceFlag} create secret tls {tlsSecret} --cert=<certificate for {host}> --key=<its key>");
        if (spec.Resources.Ports.Count > 1)
        {
            context.Warn("resources.ports", $"only the first port ({port}) is routed, as on the node; the others are container ports only");
        }
    }
}
