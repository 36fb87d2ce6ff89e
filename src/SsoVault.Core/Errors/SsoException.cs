namespace SsoVault.Core.Errors;

/// <summary>
/// An expected failure with a stable code, a message saying what is wrong, and a hint saying what to do.
/// Messages never contain secret material: they are shown to users and written to logs.
/// </summary>
public sealed class SsoException : Exception
{
    public SsoException(SsoErrorCode code, string message, string? hint = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Hint = hint;
    }

    public SsoErrorCode Code { get; }

    /// <summary>What the user should do next, or null when the message says it all.</summary>
    public string? Hint { get; }

    public int ExitCode => ExitCodes.For(Code);
}
