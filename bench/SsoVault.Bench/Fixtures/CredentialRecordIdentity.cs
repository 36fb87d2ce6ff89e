using System.Globalization;
using SsoVault.Core.Crypto;

namespace SsoVault.Bench.Fixtures;

/// <summary>
/// The identity a credential is bound to, rebuilt from its documented definition (Core's <c>CredentialIdentity</c> is
/// internal): kind "credential", then application, Windows account and external user upper-cased, then the field
/// ordinal. Lookups decrypting the values the bench writes with it prove that the two agree.
/// </summary>
internal static class CredentialRecordIdentity
{
    public static RecordIdentity For(string application, string windowsAccount, string externalUser, int ordinal) =>
        RecordIdentity.Of("credential", application.ToUpperInvariant(), windowsAccount.ToUpperInvariant(), externalUser.ToUpperInvariant(),
            ordinal.ToString(CultureInfo.InvariantCulture));
}
