using System.Text;
using SsoVault.Core.Errors;

namespace SsoVault.Server.Errors;

/// <summary>
/// The one table from error codes to HTTP: each <see cref="SsoErrorCode"/> has a status and a stable problem type URI
/// (<c>https://ssovault.dev/errors/access-denied</c>). docs/api.md lists the same table.
/// </summary>
internal static class ProblemCatalog
{
    public const string TypeBase = "https://ssovault.dev/errors/";

    public static int StatusOf(SsoErrorCode code) => code switch
    {
        SsoErrorCode.InvalidInput or SsoErrorCode.InvalidPassword or SsoErrorCode.InvalidTicket => StatusCodes.Status400BadRequest,
        SsoErrorCode.WrongBackupPassword or SsoErrorCode.CorruptBackupFile or SsoErrorCode.WrongSecret => StatusCodes.Status400BadRequest,
        SsoErrorCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        SsoErrorCode.AccessDenied or SsoErrorCode.NodeNotApproved => StatusCodes.Status403Forbidden,
        SsoErrorCode.NotFound => StatusCodes.Status404NotFound,
        // Disabled is 409, not 403: the caller holds the role, the state of the system or application refuses; a client
        // that sees 403 asks for a role, one that sees 409 asks for the application to be enabled.
        SsoErrorCode.Conflict or SsoErrorCode.AlreadyInitialized or SsoErrorCode.Disabled => StatusCodes.Status409Conflict,
        // The request belongs on another node (the error names it); nothing is wrong with the request itself.
        SsoErrorCode.NotSecretServer => StatusCodes.Status409Conflict,
        SsoErrorCode.SecretUnavailable or SsoErrorCode.DatabaseUnavailable or SsoErrorCode.SecretStoreDamaged => StatusCodes.Status503ServiceUnavailable,
        SsoErrorCode.SchemaTooNew or SsoErrorCode.NodeNotInitialized or SsoErrorCode.ServerUnavailable => StatusCodes.Status503ServiceUnavailable,
        SsoErrorCode.DecryptionFailed or SsoErrorCode.IoFailure => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static string TypeOf(SsoErrorCode code) => TypeBase + Slug(code.ToString());

    public static string TitleOf(SsoErrorCode code) => code switch
    {
        SsoErrorCode.InvalidInput => "The request is invalid.",
        SsoErrorCode.NotFound => "Not found.",
        SsoErrorCode.AccessDenied => "Access denied.",
        SsoErrorCode.Unauthenticated => "Authentication required.",
        SsoErrorCode.Conflict => "Conflict with the current state.",
        SsoErrorCode.Disabled => "Disabled.",
        SsoErrorCode.SecretUnavailable => "The master secret is not available on this node.",
        SsoErrorCode.DatabaseUnavailable => "The SSO database is unavailable.",
        SsoErrorCode.DecryptionFailed => "A stored value could not be decrypted.",
        _ => Words(code.ToString()) + ".",
    };

    /// <summary>AccessDenied becomes access-denied.</summary>
    private static string Slug(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && builder.Length > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private static string Words(string name)
    {
        var slug = Slug(name).Replace('-', ' ');
        return char.ToUpperInvariant(slug[0]) + slug[1..];
    }
}
