using System.Security.Cryptography;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Specs;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Routing;

/// <summary>
/// What each deployment's route expects in <c>Authorization</c>, for <see cref="RoutePublisher"/>. Routes fail closed: a
/// protected endpoint whose secret cannot be resolved expects a value no client can send, and a deployment without a
/// catalog entry keeps the protection it was last published with. One exception keeps the last good version serving: a
/// spec that changed its <c>basicAuthKey</c> to a secret that cannot be resolved (a typo in a re-apply) keeps the password
/// the endpoint was last published with, while the secret that password came from still holds it. Removing or changing
/// that secret, or a secret that goes missing under an unchanged <c>basicAuthKey</c>, still locks everyone out.
/// It also keeps the protocol each route was last published with (<see cref="PublishedRoute"/>): a deployment without a
/// spec (its file away for a moment, <c>RemovalGrace</c>, or a removal draining) is routed as it was, so an h2c-only
/// replica is not sent HTTP/1.1 meanwhile; both are forgotten together.
/// Not thread-safe: the publisher calls it under its lock.
/// </summary>
internal sealed partial class RouteProtection(EndpointAuthorization? endpointAuth, ILogger logger)
{
    private readonly ILogger _logger = logger;

    /// <summary>What each deployment was last published with: its Authorization (null: public) and protocol.</summary>
    private readonly Dictionary<string, PublishedRoute> _published = new(StringComparer.Ordinal);

    /// <summary>The secret (its name) each deployment's published protection was made from.</summary>
    private readonly Dictionary<string, string> _madeFrom = new(StringComparer.Ordinal);

    /// <summary>The deployments whose kept password was logged (event 1204), with the secret their spec names.</summary>
    private readonly Dictionary<string, string> _keptLogged = new(StringComparer.Ordinal);

    /// <summary>The value no client can send: used when a protected endpoint's secret cannot be resolved.</summary>
    private readonly string _unguessable = "Basic " + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    /// <summary>The deployments with a known protection.</summary>
    public IReadOnlyCollection<string> Known => _published.Keys;

    /// <summary>Seeds what a route written before this start (the daemon restarted) was published with, unless one is known.</summary>
    public void Remember(DeploymentRoute route)
    {
        if (_published.TryAdd(route.Slug, new PublishedRoute(route.ExpectedAuthorization, route.H2c)) && route.AuthorizationSecret is { } secret)
        {
            _madeFrom[route.Slug] = secret;
        }
    }

    /// <summary>What <paramref name="slug"/> was last published with; false when nothing is known.</summary>
    public bool TryGetPublished(string slug, out PublishedRoute published) => _published.TryGetValue(slug, out published);

    /// <summary>Records what <paramref name="slug"/> is published with now.</summary>
    public void Published(string slug, string? authorization, bool h2c) => _published[slug] = new PublishedRoute(authorization, h2c);

    /// <summary>The name of the secret <paramref name="slug"/>'s protection was made from, or null.</summary>
    public string? SecretOf(string slug) => _madeFrom.GetValueOrDefault(slug);

    /// <summary>Forgets a deployment that has no status any more.</summary>
    public void Forget(string slug)
    {
        _published.Remove(slug);
        _madeFrom.Remove(slug);
        _keptLogged.Remove(slug);
    }

    /// <summary>The header <paramref name="spec"/>'s endpoint expects now (null: public).</summary>
    public string? Expected(string slug, DeploymentSpec spec)
    {
        if (spec.BasicAuthKey is not { } key)
        {
            _madeFrom.Remove(slug);
            return null;
        }

        if (endpointAuth?.Expected(spec) is { } expected)
        {
            _madeFrom[slug] = key.Name;
            _keptLogged.Remove(slug);
            return expected;
        }

        if (!key.Ephemeral && _madeFrom.TryGetValue(slug, out var before) && before != key.Name
            && _published.TryGetValue(slug, out var published) && published.Authorization is { } last && endpointAuth?.Current(before) == last)
        {
            if (!_keptLogged.TryGetValue(slug, out var logged) || logged != key.Name)
            {
                _keptLogged[slug] = key.Name;
                LogKeptPassword(slug, key.Name, before);
            }

            return last;
        }

        _madeFrom.Remove(slug);
        return _unguessable;
    }

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "deployment {Slug}: basicAuthKey names secret {Secret}, which cannot be resolved; its endpoint keeps the password of secret {Kept} it was served with until the spec names a secret that resolves (removing or changing {Kept} locks everyone out)")]
    private partial void LogKeptPassword(string slug, string secret, string kept);
}
