using System.Globalization;
using System.Xml.Linq;
using SsoVault.Core.Applications;
using SsoVault.Core.Storage;

namespace SsoVault.Core.Entsso;

/// <summary>One &lt;application&gt; of an ENTSSO application file, with the element it came from (for line numbers).</summary>
public sealed record ApplicationFileEntry(XElement Element, ApplicationDefinition Definition, ApplicationUpdate Update);

/// <summary>
/// ENTSSO's application file (ssomanage -createapps / -updateapps), accepted as it is: &lt;sso&gt; with &lt;application name=".."&gt;
/// elements holding description, contact, appUserAccount (also spelled appuserAccount), appAdminAccount, windowsAccount,
/// &lt;field ordinal label masked&gt; and &lt;flags .../&gt; with ENTSSO's yes/no attribute names.
/// </summary>
public static class ApplicationFile
{
    private const string What = "application file";

    public static IReadOnlyList<ApplicationFileEntry> Load(string path) => Parse(SafeXml.Load(path, What), Path.GetFullPath(path));

    /// <summary>Parses a file's bytes (an SSO server request body); <paramref name="source"/> names it in messages.</summary>
    public static IReadOnlyList<ApplicationFileEntry> Parse(byte[] xml, string source) => Parse(SafeXml.Parse(xml, source, What), source);

    private static IReadOnlyList<ApplicationFileEntry> Parse(System.Xml.Linq.XDocument document, string path)
    {
        var root = EntssoXml.Root(document, path, What);
        var entries = new List<ApplicationFileEntry>();
        foreach (var element in root.Elements())
        {
            if (!element.Name.LocalName.Equals("application", StringComparison.OrdinalIgnoreCase))
            {
                throw EntssoXml.Invalid(path, element, $"<{element.Name.LocalName}> is not an <application>", What);
            }

            entries.Add(Parse(path, element));
        }

        return entries.Count > 0 ? entries : throw EntssoXml.Invalid(path, root, "it holds no <application>", What);
    }

    private static ApplicationFileEntry Parse(string path, XElement element)
    {
        var name = EntssoXml.Attribute(element, "name") ?? throw EntssoXml.Invalid(path, element, "<application> has no name attribute", What);
        var flagsElement = EntssoXml.Children(element, "flags").FirstOrDefault() ?? new XElement("flags");
        bool? Flag(string attribute) => EntssoXml.YesNo(path, flagsElement, attribute, What);

        var type = Flag("configStoreApp") == true ? ApplicationType.ConfigStore
            : Flag("groupApp") == true ? (Flag("hostInitiatedSSO") == true ? ApplicationType.HostGroup : ApplicationType.Group)
            : ApplicationType.Individual;
        var flags = SsoFlags.NewApplicationDefault;
        flags = Apply(flags, SsoFlags.Enabled, Flag("enableApp"));
        flags = Apply(flags, SsoFlags.WindowsToExternal, Flag("windowsInitiatedSSO"));
        flags = Apply(flags, SsoFlags.ExternalToWindows, Flag("hostInitiatedSSO"));
        flags = Apply(flags, SsoFlags.VerifyExternalCredentials, Flag("validatePassword"));
        flags = Apply(flags, SsoFlags.AllowTickets, Flag("allowTickets"));
        flags = Apply(flags, SsoFlags.ValidateTickets, Flag("validateTickets"));
        flags = Apply(flags, SsoFlags.AppTicketTimeout, Flag("timeoutTickets"));
        flags = Apply(flags, SsoFlags.AppAllowLocal, Flag("allowLocalAccounts"));
        flags = Apply(flags, SsoFlags.AppAdminSame, Flag("adminAccountSame"));
        flags = Apply(flags, SsoFlags.DisableCredentialCache, Flag("disableCredCache"));

        var users = EntssoXml.Accounts(element, "appUserAccount", "windowsAccount");
        var admins = EntssoXml.Accounts(element, "appAdminAccount");
        var definition = new ApplicationDefinition
        {
            Name = name,
            Type = type,
            Description = EntssoXml.ChildText(element, "description") ?? "",
            Contact = EntssoXml.ChildText(element, "contact") ?? "",
            UserAccounts = users ?? [],
            AdminAccounts = admins ?? [],
            Flags = flags,
            Fields = Fields(path, element),
        };
        var timeout = EntssoXml.Attribute(flagsElement, "appTicketTimeout") ?? EntssoXml.ChildText(element, "ticketTimeout");
        var update = new ApplicationUpdate
        {
            Description = EntssoXml.ChildText(element, "description"),
            Contact = EntssoXml.ChildText(element, "contact"),
            UserAccounts = users,
            AdminAccounts = admins,
            Enabled = Flag("enableApp"),
            AllowTickets = Flag("allowTickets"),
            ValidateTickets = Flag("validateTickets"),
            TimeoutTickets = Flag("timeoutTickets"),
            DisableCredentialCache = Flag("disableCredCache"),
            TicketTimeoutMinutes = timeout is null ? null
                : int.TryParse(timeout, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) ? minutes
                : throw EntssoXml.Invalid(path, flagsElement, $"the ticket timeout '{timeout}' is not a whole number of minutes", What),
        };
        return new ApplicationFileEntry(element, definition, update);
    }

    /// <summary>Fields in ordinal order; ordinals must be 0, 1, 2, ... without gaps.</summary>
    private static List<FieldDefinition> Fields(string path, XElement application)
    {
        var fields = new SortedDictionary<int, FieldDefinition>();
        foreach (var field in EntssoXml.Children(application, "field"))
        {
            var ordinalText = EntssoXml.Attribute(field, "ordinal");
            if (!int.TryParse(ordinalText, NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) || !fields.TryAdd(ordinal,
                    new FieldDefinition(EntssoXml.Attribute(field, "label") ?? "", EntssoXml.YesNo(path, field, "masked", What) ?? false,
                        EntssoXml.YesNo(path, field, "sync", What) ?? false)))
            {
                throw EntssoXml.Invalid(path, field, $"ordinal=\"{ordinalText}\" is missing, not a number, or repeated", What);
            }
        }

        if (fields.Keys.Select((ordinal, index) => ordinal != index).Any(gap => gap))
        {
            throw EntssoXml.Invalid(path, application, $"field ordinals must be 0, 1, 2, ... without gaps (found {string.Join(", ", fields.Keys)})", What);
        }

        return [.. fields.Values];
    }

    private static int Apply(int flags, int flag, bool? value) => value switch
    {
        true => flags | flag,
        false => flags & ~flag,
        null => flags,
    };
}
