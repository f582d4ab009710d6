using NUnit.Framework;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// The password-protected registry that <c>./test.sh</c> starts on loopback (docker-registry + htpasswd), with
/// <see cref="PrivateImage"/> pushed to it. Missing: fails on CI, skipped locally with how to get it.
/// </summary>
internal sealed record TestRegistry(string Address, string Username, string Password, string PrivateImage)
{
    public static TestRegistry Require()
    {
        var address = Environment.GetEnvironmentVariable("GN_TEST_REGISTRY");
        var user = Environment.GetEnvironmentVariable("GN_TEST_REGISTRY_USER");
        var password = Environment.GetEnvironmentVariable("GN_TEST_REGISTRY_PASSWORD");
        var image = Environment.GetEnvironmentVariable("GN_TEST_PRIVATE_IMAGE");
        if (address is { Length: > 0 } && user is { Length: > 0 } && password is { Length: > 0 } && image is { Length: > 0 })
        {
            return new TestRegistry(address, user, password, image);
        }

        const string problem = "no test registry: run the tests through ./test.sh, which starts one (GN_TEST_REGISTRY, GN_TEST_REGISTRY_USER, GN_TEST_REGISTRY_PASSWORD, GN_TEST_PRIVATE_IMAGE)";
        if (TestEnvironment.IsCi)
        {
            Assert.Fail(problem);
        }

        Assert.Ignore(problem);
        throw new InvalidOperationException(problem);
    }
}
