namespace GradientNode.Core.Routing;

/// <summary>What a deployment's route was last published with (<see cref="RouteProtection"/>).</summary>
/// <param name="Authorization">The Authorization the route expected; null: public.</param>
/// <param name="H2c">True when its replicas were sent h2c.</param>
internal readonly record struct PublishedRoute(string? Authorization, bool H2c);
