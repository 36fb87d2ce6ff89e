namespace SsoVault.Core.Diagnostics;

/// <summary>
/// Event ids of audited and logged events. Where ENTSSO has an event for the same thing its number is reused
/// (reference/entsso.md Appendix A), so monitoring rules written for ENTSSO keep matching.
/// </summary>
public static class AuditEventIds
{
    public const int SystemCreated = 10506;
    public const int NoSecrets = 10520;
    public const int RestoreSecretOk = 10523;
    public const int RestoreSecretFailed = 10524;
    public const int GenerateSecretOk = 10525;
    public const int GenerateSecretFailed = 10526;
    public const int SecretServerStarting = 10534;
    public const int BackupSecretOk = 10559;
    public const int BackupSecretFailed = 10560;
    public const int ChangedSecretServer = 10575;
    public const int BackupSecretRequired = 10589;
    public const int NotSecretServer = 10766;
    public const int WrongBackupPassword = 10779;
    public const int WrongSecret = 10815;

    // SsoVault's own events start at 20000 to stay clear of ENTSSO's ranges.
    public const int NodeJoined = 20001;
    public const int ConfigSet = 20010;
    public const int ConfigDeleted = 20011;
    public const int SecretOlderThanPolicy = 20020;
    public const int ApplicationCreated = 20030;
    public const int ApplicationUpdated = 20031;
    public const int ApplicationDeleted = 20032;
    public const int MappingCreated = 20040;
    public const int MappingChanged = 20041;
    public const int MappingDeleted = 20042;
    public const int CredentialsSet = 20043;
    public const int CredentialLookup = 20050;
    public const int TicketIssued = 20060;
    public const int TicketRedeemed = 20061;
    public const int GlobalInfoChanged = 20070;
    public const int DataKeyRotated = 20080;
    public const int ReencryptionFinished = 10528;
    public const int DataKeyDestroyed = 20082;
    public const int KeyRingReleased = 20090;
    public const int KeyRingRefused = 20091;
    public const int NodeApproved = 20092;
    public const int NodeRemoved = 20093;
    public const int NodeEndpointRegistered = 20094;
    public const int SecretHandedOver = 20095;
    public const int HandoverFailed = 20096;
}
