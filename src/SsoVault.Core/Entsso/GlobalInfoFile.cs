using System.Xml.Linq;
using SsoVault.Core.Errors;

namespace SsoVault.Core.Entsso;

/// <summary>
/// ENTSSO's global info update file (ssomanage -updatedb): <c>&lt;sso&gt;&lt;globalInfo&gt;...&lt;/globalInfo&gt;&lt;/sso&gt;</c>,
/// root element case-insensitive, every child optional. This version applies <c>secretServer</c>; the other
/// ENTSSO settings are recognised and refused by name until the SSO server features that use them exist.
/// </summary>
public sealed record GlobalInfoFile(string? SecretServer)
{
    private static readonly string[] RecognisedNotYetApplied =
    [
        "ssoAdminAccount", "ssoAffiliateAdminAccount", "auditDeletedApps", "auditDeletedMappings",
        "auditCredentialLookups", "ticketTimeout", "credCacheTimeout",
    ];

    public static GlobalInfoFile Load(string path)
    {
        var document = SafeXml.Load(path, "global info update file");
        var root = document.Root!;
        if (!root.Name.LocalName.Equals("sso", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(path, $"the root element is <{root.Name.LocalName}> ({SafeXml.Where(root)}), not <sso>");
        }

        var globalInfo = root.Elements().Where(e => e.Name.LocalName.Equals("globalInfo", StringComparison.OrdinalIgnoreCase)).ToList();
        if (globalInfo.Count != 1)
        {
            throw Invalid(path, $"it must contain exactly one <globalInfo> element, not {globalInfo.Count}");
        }

        string? secretServer = null;
        foreach (var element in globalInfo[0].Elements())
        {
            var name = element.Name.LocalName;
            if (name.Equals("secretServer", StringComparison.OrdinalIgnoreCase))
            {
                secretServer = element.Value.Trim();
                if (secretServer.Length == 0)
                {
                    throw Invalid(path, $"<secretServer> is empty ({SafeXml.Where(element)})");
                }
            }
            else if (RecognisedNotYetApplied.Any(n => n.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new SsoException(SsoErrorCode.InvalidInput,
                    $"<{name}> ({SafeXml.Where(element)}) in {Path.GetFullPath(path)} is an ENTSSO setting this version does not apply yet. Nothing was changed.",
                    "Remove it from the file; this version changes only <secretServer>.");
            }
            else
            {
                throw Invalid(path, $"<{name}> ({SafeXml.Where(element)}) is not a globalInfo setting");
            }
        }

        if (secretServer is null)
        {
            throw Invalid(path, "<globalInfo> names no setting to change");
        }

        return new GlobalInfoFile(secretServer);
    }

    private static SsoException Invalid(string path, string why) => new(
        SsoErrorCode.InvalidInput,
        $"{Path.GetFullPath(path)} is not a valid global info update file: {why}. Nothing was changed.",
        "Expected: <sso><globalInfo><secretServer>NODE</secretServer></globalInfo></sso>");
}
