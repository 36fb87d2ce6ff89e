using SsoVault.Core.ConfigStore;
using SsoVault.Core.Errors;
using SsoVault.Core.Storage;

namespace SsoVault.Core.Applications;

/// <summary>ENTSSO's rules for application definitions (reference/entsso.md §4.2, §4.3), each with its own error.</summary>
internal static class ApplicationRules
{
    public const int MaxDescriptionLength = 1024;
    public const int MaxFieldLabelLength = 256;
    public const int MaxTicketTimeoutMinutes = 525_600;

    public static void ValidateDefinition(ApplicationDefinition definition)
    {
        ConfigNames.Application(definition.Name);
        ValidateText(definition.Description, "description");
        ValidateText(definition.Contact, "contact");
        var flags = definition.Flags ?? 0;
        if (SsoFlags.Has(flags, SsoFlags.Enabled))
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"Application '{definition.Name}' cannot be created enabled (ENTSSO event 10850).",
                "Create it disabled, add its fields and mappings, then enable it with 'ssovault app enable'.");
        }

        if (definition.Type == ApplicationType.HostGroup && definition.UserAccounts.Count > 1)
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"Host group application '{definition.Name}' maps to exactly one Windows account; {definition.UserAccounts.Count} were given (ENTSSO event 10846).",
                "Give a single account in appUserAccount / windowsAccount.");
        }

        if (definition.Type == ApplicationType.ConfigStore && definition.Fields.Count > 0)
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"Config store application '{definition.Name}' takes no fields: its properties are free-form.",
                "Leave the <field> elements out, or use 'ssovault config set'.");
        }

        ValidateFields(definition.Name, [], definition.Fields);
    }

    /// <summary>Field rules: labels present, the first (the external user id) never masked, at most one sync field.</summary>
    public static void ValidateFields(string application, IReadOnlyList<FieldRecord> existing, IReadOnlyList<FieldDefinition> added)
    {
        foreach (var field in added)
        {
            if (string.IsNullOrWhiteSpace(field.Label) || field.Label.Length > MaxFieldLabelLength || field.Label.Any(char.IsControl))
            {
                throw new SsoException(SsoErrorCode.InvalidInput, $"A field label of application '{application}' is empty or longer than {MaxFieldLabelLength} characters.",
                    "Give every field a label, e.g. 'User Id', 'Password'.");
            }
        }

        if (existing.Count == 0 && added.Count > 0 && added[0].Masked)
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"The first field of application '{application}' is the external user id and cannot be masked.",
                "Put the user id first (masked=\"no\"), then the credential fields.");
        }

        if (existing.Count(f => f.Synchronized) + added.Count(f => f.Synchronized) > 1)
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"Application '{application}' would have more than one synchronized field (ENTSSO event 10818).",
                "Mark at most one field (the password) as synchronized.");
        }
    }

    public static void ValidateTicketTimeout(int minutes)
    {
        if (minutes is < 1 or > MaxTicketTimeoutMinutes)
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"A ticket timeout of {minutes} minutes is outside 1..{MaxTicketTimeoutMinutes} (ENTSSO event 10614).",
                "Give a number of minutes from 1 to 525,600 (one year).");
        }
    }

    public static void ValidateText(string value, string what)
    {
        if (value.Length > MaxDescriptionLength || value.Any(c => char.IsControl(c) && c != '\n'))
        {
            throw new SsoException(SsoErrorCode.InvalidInput, $"The {what} is longer than {MaxDescriptionLength} characters or has control characters.",
                $"Shorten the {what}.");
        }
    }

    /// <summary>Names of the flag bits set, for people (ENTSSO's property-bag names).</summary>
    public static IReadOnlyList<string> FlagNames(int flags)
    {
        var names = new List<string>();
        void Add(int flag, string name)
        {
            if (SsoFlags.Has(flags, flag))
            {
                names.Add(name);
            }
        }

        Add(SsoFlags.Enabled, "enableApp");
        Add(SsoFlags.WindowsToExternal, "windowsInitiatedSSO");
        Add(SsoFlags.ExternalToWindows, "hostInitiatedSSO");
        Add(SsoFlags.VerifyExternalCredentials, "validatePassword");
        Add(SsoFlags.AllowTickets, "allowTickets");
        Add(SsoFlags.ValidateTickets, "validateTickets");
        Add(SsoFlags.AppUsesGroupMapping, "groupApp");
        Add(SsoFlags.AppAllowLocal, "allowLocalAccounts");
        Add(SsoFlags.AppAdminSame, "adminAccountSame");
        Add(SsoFlags.AppConfigStore, "configStoreApp");
        Add(SsoFlags.AppTicketTimeout, "timeoutTickets");
        Add(SsoFlags.DisableCredentialCache, "disableCredCache");
        return names;
    }
}
