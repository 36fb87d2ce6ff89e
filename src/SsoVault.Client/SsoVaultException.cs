namespace SsoVault.Client;

/// <summary>
/// A refusal from the SSO server (its RFC 7807 problem) or a failure to reach it. <see cref="Code"/> is the server's
/// stable error code (SsoErrorCode names such as AccessDenied, NotFound), or <see cref="ServerUnavailableCode"/> when no
/// answer came (connection refused, timeout, or a certificate that does not match the pinned fingerprint).
/// </summary>
public sealed class SsoVaultException : Exception
{
    public const string ServerUnavailableCode = "ServerUnavailable";

    public SsoVaultException(string code, int status, string message, string? hint, string? type = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Status = status;
        Hint = hint;
        Type = type;
    }

    /// <summary>The stable code (the problem's <c>code</c>).</summary>
    public string Code { get; }

    /// <summary>The HTTP status, or 0 when the server did not answer.</summary>
    public int Status { get; }

    /// <summary>What to do next, when the server said.</summary>
    public string? Hint { get; }

    /// <summary>The problem type URI, e.g. https://ssovault.dev/errors/access-denied.</summary>
    public string? Type { get; }
}
