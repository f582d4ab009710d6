using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace GradientNode.Proxy.Forwarding;

/// <summary>Hands the cluster's destinations to <see cref="ConnectRetryHandler"/> when there is another one to try.</summary>
internal static class RetryTransform
{
    public static void Add(TransformBuilderContext context) => context.AddRequestTransform(static transform =>
    {
        var feature = transform.HttpContext.Features.Get<IReverseProxyFeature>();
        if (feature is { AllDestinations.Count: > 1 })
        {
            transform.ProxyRequest.Options.Set(ConnectRetryHandler.FeatureKey, feature);
        }

        return ValueTask.CompletedTask;
    });
}
