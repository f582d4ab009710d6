using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs;

internal sealed partial class SpecParserTests
{
    [Test]
    public void Parse_ProtocolH2c_SetsReplicaProtocolInBothDialects()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ParseValid(MinimalV1).Protocol, Is.EqualTo(ReplicaProtocol.Http));
            Assert.That(ParseValid(MinimalV1 + "\nprotocol: h2c\n").Protocol, Is.EqualTo(ReplicaProtocol.H2c));
            Assert.That(ParseValid("image: x\nport: 50051\nprotocol: h2c\nresources:\n  instanceType: C4\n").Protocol, Is.EqualTo(ReplicaProtocol.H2c));
        });
    }

    [Test]
    public void Parse_ProtocolUnknown_ErrorAtTheValue()
    {
        var result = SpecParser.Parse("spec.yaml", MinimalV1 + "\nprotocol: grpc\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { "spec.yaml:7:11: protocol: must be http or h2c (HTTP/2 without TLS to the replica, e.g. for gRPC)" }));
    }
}
