using GradientNode.Core.Specs;
using k8s.Models;

namespace GradientNode.Core.Export;

/// <summary>The endpoint: a Service on the first port and an ingress-nginx Ingress for <c>&lt;slug&gt;.&lt;domain&gt;</c> with TLS and basic auth.</summary>
internal static class Exposure
{
    public const string BasicAuthUser = "paperspace";

    public static void Add(ExportContext context, DeploymentSpec spec)
    {
        var slug = spec.Slug;
        var port = spec.Resources.FirstPort;
        var service = new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = Names.Meta(context, slug),
            Spec = new V1ServiceSpec
            {
                Selector = Names.Selector(slug),
                Ports = [new V1ServicePort { Name = "http", Port = port, TargetPort = port, Protocol = "TCP" }],
            },
        };
        context.Add($"{slug}.service.yaml", service);
        var host = $"{slug}.{context.Options.Domain}";
        var tlsSecret = $"{slug}-tls";
        var meta = Names.Meta(context, slug);
        if (spec.BasicAuthKey is { } key)
        {
            var authSecret = $"{slug}-basic-auth";
            meta.Annotations = new Dictionary<string, string>
            {
                ["nginx.ingress.kubernetes.io/auth-type"] = "basic",
                ["nginx.ingress.kubernetes.io/auth-secret"] = authSecret,
                ["nginx.ingress.kubernetes.io/auth-realm"] = "Authentication Required",
            };
            context.Command($"htpasswd -nbB {BasicAuthUser} '<value of secret {key.Name}>' > auth && kubectl{context.NamespaceFlag} create secret generic {authSecret} --from-file=auth && rm auth");
        }

        var backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = slug, Port = new V1ServiceBackendPort { Number = port } } };
        var ingress = new V1Ingress
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "Ingress",
            Metadata = meta,
            Spec = new V1IngressSpec
            {
                IngressClassName = "nginx",
                Tls = [new V1IngressTLS { Hosts = [host], SecretName = tlsSecret }],
                Rules =
                [
                    new V1IngressRule
                    {
                        Host = host,
                        Http = new V1HTTPIngressRuleValue { Paths = [new V1HTTPIngressPath { Path = "/", PathType = "Prefix", Backend = backend }] },
                    },
                ],
            },
        };
        context.Add($"{slug}.ingress.yaml", ingress);
        context.Command($"kubectl{context.NamespaceFlag} create secret tls {tlsSecret} --cert=<certificate for {host}> --key=<its key>");
        if (spec.Resources.Ports.Count > 1)
        {
            context.Warn("resources.ports", $"only the first port ({port}) is routed, as on the node; the others are container ports only");
        }
    }
}
