namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// Object-store addresses: an <c>endpoint</c> is <c>http(s)://host[:port][/path]</c> or a bare
/// <c>host[:port]</c> (https is assumed), and a bucket URL is <c>s3://BUCKET[/PREFIX]</c>.
/// Messages never echo the value.
/// </summary>
internal static class UrlRules
{
    /// <summary>Null when <paramref name="endpoint"/> is usable as an S3 service URL, else why not.</summary>
    public static string? CheckEndpoint(string endpoint)
    {
        if (TextRules.Unsafe(endpoint) is { } problem)
        {
            return problem;
        }

        var candidate = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "https://" + endpoint;
        return Uri.TryCreate(candidate, UriKind.Absolute, out var uri)
            && uri.Scheme is "https" or "http"
            && uri.Host.Length > 0
            && uri.UserInfo.Length == 0
            && uri.Query.Length == 0 && uri.Fragment.Length == 0
            ? null
            : "must be an http(s) URL or a host name, like https://nyc3.digitaloceanspaces.com";
    }

    /// <summary>
    /// Null when <paramref name="url"/> is <c>s3://BUCKET[/PREFIX]</c> (or, unless <paramref name="schemeRequired"/>,
    /// <c>BUCKET[/PREFIX]</c>) with a plausible bucket, else why not.
    /// </summary>
    public static string? CheckBucketUrl(string url, bool schemeRequired)
    {
        if (schemeRequired && !url.StartsWith("s3://", StringComparison.Ordinal))
        {
            return "must start with s3://";
        }

        if (TextRules.Unsafe(url) is { } problem)
        {
            return problem;
        }

        var rest = url.StartsWith("s3://", StringComparison.Ordinal) ? url["s3://".Length..] : url;
        var bucket = rest.Split('/')[0];
        return bucket.Length is >= 1 and <= 255 && bucket.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')
            ? null
            : $"must be {(schemeRequired ? "s3://" : "[s3://]")}BUCKET[/PREFIX] with a bucket name of letters, digits, '.', '-' or '_'";
    }
}
