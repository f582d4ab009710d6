namespace GradientNode.Core.Integrations;

/// <summary>
/// An S3 endpoint answered a redirect (<see cref="S3RedirectRefusal"/>); the message says so with the status, the endpoint
/// (scheme and authority) and the host the redirect named, never its path, query or user info.
/// </summary>
internal sealed class S3RedirectException(int status, string endpoint, string? locationHost)
    : Exception($"the endpoint {endpoint} answered {status} ({(locationHost is null ? "a redirect with no Location" : $"a redirect to {locationHost}")}); the node does not follow redirects with credentials: set the endpoint to the address that serves the bucket")
{
    public int Status => status;
}
