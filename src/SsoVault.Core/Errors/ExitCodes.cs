namespace SsoVault.Core.Errors;

/// <summary>
/// Process exit codes, one per error code, documented in the README. Small and positive (never -1), and
/// distinct for the three ways a restore can be refused so that scripts can tell them apart.
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    public static int For(SsoErrorCode code) => code switch
    {
        SsoErrorCode.InvalidInput => 2,
        SsoErrorCode.InvalidPassword => 2,
        SsoErrorCode.NotFound => 3,
        SsoErrorCode.NodeNotInitialized => 4,
        SsoErrorCode.AlreadyInitialized => 5,
        SsoErrorCode.DatabaseUnavailable => 6,
        SsoErrorCode.SchemaTooNew => 7,
        SsoErrorCode.NotSecretServer => 8,
        SsoErrorCode.SecretUnavailable => 9,
        SsoErrorCode.SecretStoreDamaged => 10,
        SsoErrorCode.WrongBackupPassword => 11,
        SsoErrorCode.CorruptBackupFile => 12,
        SsoErrorCode.WrongSecret => 13,
        SsoErrorCode.DecryptionFailed => 14,
        SsoErrorCode.Conflict => 15,
        SsoErrorCode.IoFailure => 16,
        SsoErrorCode.AccessDenied => 17,
        SsoErrorCode.Unauthenticated => 18,
        SsoErrorCode.Disabled => 19,
        SsoErrorCode.InvalidTicket => 20,
        SsoErrorCode.ServerUnavailable => 21,
        SsoErrorCode.NodeNotApproved => 22,
        _ => Failure,
    };
}
