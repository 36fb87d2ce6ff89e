using System.Globalization;
using System.Xml.Linq;
using SsoVault.Core.Errors;

namespace SsoVault.Core.Entsso;

/// <summary>
/// ENTSSO's global info update file (ssomanage -updatedb): <c>&lt;sso&gt;&lt;globalInfo&gt;...&lt;/globalInfo&gt;&lt;/sso&gt;</c>,
/// root and element names case-insensitive, every child optional (a partial update). Admin account elements may list
/// several accounts separated by ';'.
/// </summary>
public sealed record GlobalInfoFile
{
    public string? SecretServer { get; init; }
    public IReadOnlyList<string>? SsoAdminAccounts { get; init; }
    public IReadOnlyList<string>? AffiliateAdminAccounts { get; init; }
    public int? AuditDeletedApps { get; init; }
    public int? AuditDeletedMappings { get; init; }
    public int? AuditCredentialLookups { get; init; }
    public int? TicketTimeoutMinutes { get; init; }
    public int? CredentialCacheTimeoutMinutes { get; init; }

    /// <summary>True when the file changes something other than the secret server.</summary>
    public bool ChangesSettings => SsoAdminAccounts is not null || AffiliateAdminAccounts is not null || AuditDeletedApps is not null ||
                                   AuditDeletedMappings is not null || AuditCredentialLookups is not null || TicketTimeoutMinutes is not null ||
                                   CredentialCacheTimeoutMinutes is not null;

    private const string What = "global info update file";

    public static GlobalInfoFile Load(string path) => Parse(SafeXml.Load(path, What), Path.GetFullPath(path));

    /// <summary>Parses a file's bytes (an SSO server request body); <paramref name="source"/> names it in messages.</summary>
    public static GlobalInfoFile Parse(byte[] xml, string source) => Parse(SafeXml.Parse(xml, source, What), source);

    private static GlobalInfoFile Parse(XDocument document, string path)
    {
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

        var file = new GlobalInfoFile();
        foreach (var element in globalInfo[0].Elements())
        {
            var value = element.Value.Trim();
            file = element.Name.LocalName.ToUpperInvariant() switch
            {
                "SECRETSERVER" => file with { SecretServer = NonEmpty(path, element, value) },
                "SSOADMINACCOUNT" => file with { SsoAdminAccounts = Accounts(path, element, value) },
                "SSOAFFILIATEADMINACCOUNT" => file with { AffiliateAdminAccounts = Accounts(path, element, value) },
                "AUDITDELETEDAPPS" => file with { AuditDeletedApps = Number(path, element, value, 0, 1_000_000) },
                "AUDITDELETEDMAPPINGS" => file with { AuditDeletedMappings = Number(path, element, value, 0, 1_000_000) },
                "AUDITCREDENTIALLOOKUPS" => file with { AuditCredentialLookups = Number(path, element, value, 0, 1_000_000) },
                "TICKETTIMEOUT" => file with { TicketTimeoutMinutes = Number(path, element, value, 1, 525_600) },
                "CREDCACHETIMEOUT" => file with { CredentialCacheTimeoutMinutes = Number(path, element, value, 0, 525_600) },
                _ => throw Invalid(path, $"<{element.Name.LocalName}> ({SafeXml.Where(element)}) is not a globalInfo setting"),
            };
        }

        if (file.SecretServer is null && !file.ChangesSettings)
        {
            throw Invalid(path, "<globalInfo> names no setting to change");
        }

        return file;
    }

    private static string NonEmpty(string path, XElement element, string value) =>
        value.Length > 0 ? value : throw Invalid(path, $"<{element.Name.LocalName}> is empty ({SafeXml.Where(element)})");

    private static List<string> Accounts(string path, XElement element, string value) =>
        NonEmpty(path, element, value).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static int Number(string path, XElement element, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw Invalid(path, $"<{element.Name.LocalName}> ({SafeXml.Where(element)}) must be a whole number from {min} to {max}, not '{value}'");

    private static SsoException Invalid(string path, string why) => new(
        SsoErrorCode.InvalidInput,
        $"{path} is not a valid global info update file: {why}. Nothing was changed.",
        "Expected ENTSSO's format: <sso><globalInfo><secretServer>NODE</secretServer><ticketTimeout>2</ticketTimeout>...</globalInfo></sso>");
}
