using GradientNode.Core.Routing;

namespace GradientNode.Proxy.Routing;

/// <summary>Compares what two route tables route (ignoring Version and Written), so unchanged content reloads nothing.</summary>
internal static class RouteTableComparer
{
    public static bool SameRoutes(RouteTable a, RouteTable b)
    {
        if (a.Deployments.Count != b.Deployments.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Deployments.Count; i++)
        {
            var x = a.Deployments[i];
            var y = b.Deployments[i];
            if (x.Slug != y.Slug || x.Name != y.Name || x.Enabled != y.Enabled
                || x.ExpectedAuthorization != y.ExpectedAuthorization || x.H2c != y.H2c || x.Waiting != y.Waiting || x.Off != y.Off
                || !x.Replicas.SequenceEqual(y.Replicas))
            {
                return false;
            }
        }

        return true;
    }
}
