namespace SsoVault.Core.Applications;

/// <summary>
/// ENTSSO's flag bits with ENTSSO's names and values (reference/entsso.md §4.10), so numbers stored or exchanged by
/// ENTSSO tools mean the same here. Values overlap by context: application, mapping, field or call flags.
/// </summary>
public static class SsoFlags
{
    // Call flags
    public const int Refresh = 0x1;

    // Application and global flags
    public const int Enabled = 0x2;
    public const int WindowsToExternal = 0x4;
    public const int ExternalToWindows = 0x8;
    public const int VerifyExternalCredentials = 0x10;
    public const int AllowTickets = 0x20;
    public const int ValidateTickets = 0x40;
    public const int AdminEnabled = 0x80;
    public const int AppUsesGroupMapping = 0x10000;
    public const int AppExternalNameSame = 0x20000;
    public const int AppAllowLocal = 0x40000;
    public const int AppAdminSame = 0x80000;
    public const int AppConfigStore = 0x100000;
    public const int AppTicketTimeout = 0x200000;
    public const int DisableCredentialCache = 0x40000000;

    // Field flags
    public const int FieldMasked = 0x10000000;
    public const int FieldSync = 0x20000000;

    /// <summary>ENTSSO's default for a new application: Windows-initiated, validate tickets, ticket timeout on.</summary>
    public const int NewApplicationDefault = WindowsToExternal | ValidateTickets | AppTicketTimeout;

    public static bool Has(int flags, int flag) => (flags & flag) == flag;
}
