namespace GradientNode.Core.Integrations;

/// <summary>
/// Where a source's credentials were written, as the spec author wrote them: a <c>git-lfs</c> integration's
/// <c>accessKeyId</c> and <c>secretAccessKey</c>, a legacy repository's <c>username</c> and <c>password</c>, a workflow
/// action's <c>with.username</c> and <c>with.password</c> (or <c>with.access-key</c> and <c>with.secret-access-key</c>),
/// with the secret each one references. A refusal names these, never a value (before, a git-lfs integration's refusal
/// said "check the repository's username and password", fields it does not have).
/// </summary>
public sealed record CredentialFields(string User, string Password, string? UserSecret = null, string? PasswordSecret = null)
{
    /// <summary>A <c>git-lfs</c> integration, or an <c>s3</c>/<c>spaces</c> one: <c>accessKeyId</c> and <c>secretAccessKey</c>.</summary>
    public static CredentialFields Integration(string? passwordSecret) => new("accessKeyId", "secretAccessKey", null, passwordSecret);

    /// <summary>The secret name of a <c>secret:NAME</c> value, else null (a literal, such as a user name).</summary>
    public static string? SecretOf(string? value) =>
        value is not null && value.StartsWith("secret:", StringComparison.Ordinal) ? value["secret:".Length..].Trim() : null;

    /// <summary>The user field as written: <c>accessKeyId</c>, or <c>with.username (secret:bot)</c> when it references a secret.</summary>
    public string UserText => Field(User, UserSecret);

    /// <summary>The password field as written: <c>secretAccessKey (secret:hf-token)</c>.</summary>
    public string PasswordText => Field(Password, PasswordSecret);

    /// <summary>What to check when the server refused the credentials (<paramref name="userGiven"/>: the user field was set).</summary>
    public string CheckHint(bool userGiven, string? defaultUser = null) => userGiven || defaultUser is null
        ? $"check {UserText} and {PasswordText}"
        : $"check {PasswordText} (sent with the user '{defaultUser}', as {User} is not set)";

    /// <summary>What to set when the server asked for credentials and the spec gave none.</summary>
    public string NoneGivenHint => $"the spec gives no credentials: set {User} and {Password}: secret:NAME";

    private static string Field(string field, string? secret) => secret is null ? field : $"{field} (secret:{secret})";
}
