namespace GradientNode.Core.Specs;

/// <summary>
/// How the proxy speaks to a deployment's replicas (our spec extension <c>protocol</c>, not Gradient's): HTTP/1.1
/// (the default), or HTTP/2 over cleartext with prior knowledge (<c>h2c</c>), which gRPC servers need.
/// </summary>
public enum ReplicaProtocol
{
    Http,
    H2c,
}
