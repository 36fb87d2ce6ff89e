using System.Globalization;
using SsoVault.Core.Crypto;

namespace SsoVault.Core.Applications;

/// <summary>
/// The record identity a credential is bound to: application, Windows account, external account and field ordinal
/// (names upper-cased: ENTSSO compares them case-insensitively). A credential copied to another mapping or field fails.
/// </summary>
internal static class CredentialIdentity
{
    public static RecordIdentity For(string application, string windowsAccount, string externalUser, int ordinal) =>
        RecordIdentity.Of("credential", application.ToUpperInvariant(), windowsAccount.ToUpperInvariant(), externalUser.ToUpperInvariant(),
            ordinal.ToString(CultureInfo.InvariantCulture));
}
