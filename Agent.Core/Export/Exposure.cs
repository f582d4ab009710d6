using GradientNode.Core.Specs;
using k8s.Models;

namespace GradientNode.Core.Export;

/// <summary>The endpoint: a Service on the first port and an ingress-nginx Ingress for <c>&lt;slug&gt;.&lt;domain&gt;</c> with TLS and basic auth.</summary>
internal static class Exposure
{
    public const string BasicAuthUser = "paperspace";

    /// <summary>The standard appProtocol for HTTP/2 over cleartext with prior knowledge (Kubernetes 1.27+).</summary>
    public const string H2cAppProtocol = "kubernetes.io/h2c";

    public static void Add(ExportContext context, DeploymentSpec spec)
    {
        var slug = spec.Slug;
        var port = spec.Resources.FirstPort;
        var h2c = spec.Protocol == ReplicaProtocol.H2c;
        var serviceName = Names.Service(slug);
        if (serviceName != slug)
        {
            context.Note("name", $"the Service is named '{serviceName}': a Service name must start with a letter");
        }

        var service = new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = Names.Meta(context, serviceName, slug),
            Spec = new V1ServiceSpec
            {
                Selector = Names.Selector(slug),
                Ports = [new V1ServicePort { Name = "http", Port = port, TargetPort = port, Protocol = "TCP", AppProtocol = h2c ? H2cAppProtocol : null }],
            },
        };
        context.Add($"{slug}.service.yaml", service);
        var host = $"{slug}.{context.Options.Domain}";
        var tlsSecret = $"{slug}-tls";
        var annotations = new Dictionary<string, string>();
        if (h2c)
        {
            // ingress-nginx speaks HTTP/2 to a backend only through grpc_pass: right for the gRPC servers h2c is for.
            annotations["nginx.ingress.kubernetes.io/backend-protocol"] = "GRPC";
        }

        if (spec.BasicAuthKey is { } key)
        {
            var authSecret = $"{slug}-basic-auth";
            annotations["nginx.ingress.kubernetes.io/auth-type"] = "basic";
            annotations["nginx.ingress.kubernetes.io/auth-secret"] = authSecret;
            annotations["nginx.ingress.kubernetes.io/auth-realm"] = Realm(spec.Name, slug);
            AdmitIngressOnly(context, spec);
            context.Command($"htpasswd -nbB {BasicAuthUser} '<value of {(key.Ephemeral ? key.ToString() : $"secret {key.Name}")}>' > auth && kubectl{context.NamespaceFlag} create secret generic {authSecret} --from-file=auth && rm auth");
        }

        var meta = Names.Meta(context, slug);
        meta.Annotations = annotations.Count == 0 ? null : annotations;
        var backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = serviceName, Port = new V1ServiceBackendPort { Number = port } } };
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

    /// <summary>
    /// The node keeps everyone but root off a replica's own address, so its password cannot be stepped around; on a
    /// cluster the same is a NetworkPolicy: the pods of a protected deployment admit the ingress controller's pods on
    /// the endpoint's port and nothing else (a cluster whose network plugin enforces NetworkPolicy; the kubelet's
    /// probes come from the node and are not subject to it).
    /// </summary>
    private static void AdmitIngressOnly(ExportContext context, DeploymentSpec spec)
    {
        var slug = spec.Slug;
        var policy = new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = Names.Meta(context, $"{slug}-ingress-only", slug),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = Names.Selector(slug) },
                PolicyTypes = ["Ingress"],
                Ingress =
                [
                    new V1NetworkPolicyIngressRule
                    {
                        FromProperty =
                        [
                            new V1NetworkPolicyPeer
                            {
                                NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = context.Options.IngressNamespace } },
                                PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "ingress-nginx" } },
                            },
                        ],
                        Ports = [new V1NetworkPolicyPort { Port = spec.Resources.FirstPort, Protocol = "TCP" }],
                    },
                ],
            },
        };
        context.Add($"{slug}.networkpolicy.yaml", policy);
        context.Note("basicAuthKey", $"the NetworkPolicy {slug}-ingress-only admits only ingress-nginx's pods (namespace {context.Options.IngressNamespace}; --ingress-namespace) to the pods, so that the password cannot be stepped around by a pod's address, as on the node: the cluster's network plugin must enforce NetworkPolicy");
    }

    /// <summary>
    /// The realm the browser shows, as the node's proxy sends it: the deployment's name, or its slug when the name has
    /// characters beyond letters, digits, space, dot, dash and underscore (the annotation lands inside ingress-nginx's
    /// quoted <c>auth_basic</c> value).
    /// </summary>
    internal static string Realm(string name, string slug) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '.' or '-' or '_') ? name : slug;
}
