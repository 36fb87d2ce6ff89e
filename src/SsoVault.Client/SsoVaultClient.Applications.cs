using System.Net.Http.Headers;
using System.Text;

namespace SsoVault.Client;

// ENTSSO's ISSOAdmin (applications, fields, global info), ISSOMapping, ISSOMapper, ISSOLookup and ISSOTicket.
public sealed partial class SsoVaultClient
{
    // ISSOLookup and ISSOTicket: the runtime calls

    /// <summary>ISSOLookup.GetCredentials: the caller's external user id and credentials for <paramref name="application"/>.</summary>
    /// <param name="refresh">ENTSSO's SSO_FLAG_REFRESH; accepted by the server, which always reads the database in this version.</param>
    public Task<ExternalCredentials> GetCredentialsAsync(string application, bool refresh = false, CancellationToken cancellationToken = default) =>
        SendAsync<ExternalCredentials>(HttpMethod.Get, $"v1/apps/{E(application)}/credentials{(refresh ? "?refresh=true" : "")}", null, cancellationToken);

    /// <summary>ISSOTicket.IssueTicket: a ticket for the caller.</summary>
    public Task<IssuedTicket> IssueTicketAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IssuedTicket>(HttpMethod.Post, "v1/tickets", null, cancellationToken);

    /// <summary>ISSOTicket.RedeemTicket (application administrators): the ticket user's credentials.</summary>
    public Task<ExternalCredentials> RedeemTicketAsync(string application, string ticket, CancellationToken cancellationToken = default) =>
        SendAsync<ExternalCredentials>(HttpMethod.Post, $"v1/apps/{E(application)}/tickets/redeem", new { ticket }, cancellationToken);

    /// <summary>ISSOTicket.ValidateAndRedeemTicket: also checks that <paramref name="sender"/> is the ticket's user.</summary>
    public Task<ExternalCredentials> ValidateAndRedeemTicketAsync(string application, string ticket, string sender, CancellationToken cancellationToken = default) =>
        SendAsync<ExternalCredentials>(HttpMethod.Post, $"v1/apps/{E(application)}/tickets/redeem", new { ticket, sender }, cancellationToken);

    // ISSOMapper

    /// <summary>ISSOMapper.SetExternalCredentials: the caller's own (user null) or, as an application administrator, those of <paramref name="user"/>.</summary>
    /// <param name="externalUser">Creates (and enables) the mapping when there is none yet.</param>
    public Task<MappingInfo> SetExternalCredentialsAsync(string application, IReadOnlyList<string> credentials, string? user = null, string? externalUser = null,
        CancellationToken cancellationToken = default) =>
        SendAsync<MappingInfo>(HttpMethod.Put, $"v1/apps/{E(application)}/credentials", new { user, externalUser, credentials }, cancellationToken);

    // ISSOMapping: account null means the caller's own mapping

    public Task<MappingInfo> CreateMappingAsync(string application, string externalUser, string? account = null, CancellationToken cancellationToken = default) =>
        SendAsync<MappingInfo>(HttpMethod.Post, $"v1/apps/{E(application)}/mappings", new { account, externalUser }, cancellationToken);

    public Task<MappingInfo> EnableMappingAsync(string application, string? account = null, CancellationToken cancellationToken = default) =>
        SendAsync<MappingInfo>(HttpMethod.Post, $"{MappingPath(application, account)}/enable", null, cancellationToken);

    public Task<MappingInfo> DisableMappingAsync(string application, string? account = null, CancellationToken cancellationToken = default) =>
        SendAsync<MappingInfo>(HttpMethod.Post, $"{MappingPath(application, account)}/disable", null, cancellationToken);

    /// <summary>Deletes the mapping and its credentials; returns the deleted mapping.</summary>
    public Task<MappingInfo> DeleteMappingAsync(string application, string? account = null, CancellationToken cancellationToken = default) =>
        SendAsync<MappingInfo>(HttpMethod.Delete, MappingPath(application, account), null, cancellationToken);

    /// <summary>ISSOMapper.GetMappingsForExternalUser's everyday form: the mappings the caller may see.</summary>
    public Task<IReadOnlyList<MappingInfo>> GetMappingsAsync(string? application = null, string? account = null, CancellationToken cancellationToken = default)
    {
        var query = string.Join("&", new[] { application is null ? null : $"app={E(application)}", account is null ? null : $"account={E(account)}" }
            .Where(q => q is not null));
        return SendAsync<IReadOnlyList<MappingInfo>>(HttpMethod.Get, "v1/mappings" + (query.Length > 0 ? "?" + query : ""), null, cancellationToken);
    }

    /// <summary>ssomanage -createmappings (or -deletemappings) with ENTSSO's mappings file as it is.</summary>
    public Task<IReadOnlyList<MappingInfo>> ImportMappingsAsync(string mappingsXml, bool delete = false, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<MappingInfo>>(HttpMethod.Post, $"v1/mappings/import{(delete ? "?delete=true" : "")}", Xml(mappingsXml), cancellationToken);

    // ISSOAdmin: applications and fields

    public Task<ApplicationInfo> CreateApplicationAsync(ApplicationDefinition definition, CancellationToken cancellationToken = default) =>
        SendAsync<ApplicationInfo>(HttpMethod.Post, "v1/apps", definition, cancellationToken);

    /// <summary>ssomanage -createapps (or -updateapps) with ENTSSO's application file as it is; all or nothing.</summary>
    public Task<IReadOnlyList<ApplicationInfo>> ImportApplicationsAsync(string applicationXml, bool update = false, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<ApplicationInfo>>(HttpMethod.Post, $"v1/apps{(update ? "?update=true" : "")}", Xml(applicationXml), cancellationToken);

    public Task<ApplicationInfo> UpdateApplicationAsync(string application, ApplicationUpdate update, CancellationToken cancellationToken = default) =>
        SendAsync<ApplicationInfo>(HttpMethod.Patch, $"v1/apps/{E(application)}", update, cancellationToken);

    public Task<ApplicationInfo> EnableApplicationAsync(string application, CancellationToken cancellationToken = default) =>
        SendAsync<ApplicationInfo>(HttpMethod.Post, $"v1/apps/{E(application)}/enable", null, cancellationToken);

    public Task<ApplicationInfo> DisableApplicationAsync(string application, CancellationToken cancellationToken = default) =>
        SendAsync<ApplicationInfo>(HttpMethod.Post, $"v1/apps/{E(application)}/disable", null, cancellationToken);

    /// <summary>ISSOAdmin.PurgeCacheForApplication: drops every node's cached lookups of the application.</summary>
    public Task PurgeCacheForApplicationAsync(string application, CancellationToken cancellationToken = default) =>
        SendAsync<System.Text.Json.JsonElement?>(HttpMethod.Post, $"v1/apps/{E(application)}/purge-cache", null, cancellationToken);

    public Task DeleteApplicationAsync(string application, CancellationToken cancellationToken = default) =>
        SendAsync<System.Text.Json.JsonElement?>(HttpMethod.Delete, $"v1/apps/{E(application)}", null, cancellationToken);

    public Task<ApplicationInfo> GetApplicationInfoAsync(string application, CancellationToken cancellationToken = default) =>
        SendAsync<ApplicationInfo>(HttpMethod.Get, $"v1/apps/{E(application)}", null, cancellationToken);

    /// <summary>ISSOAdmin's application list: those the caller has a role on (with config store applications when <paramref name="all"/>).</summary>
    public Task<IReadOnlyList<ApplicationInfo>> GetApplicationsAsync(bool all = false, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<ApplicationInfo>>(HttpMethod.Get, $"v1/apps{(all ? "?all=true" : "")}", null, cancellationToken);

    /// <summary>ISSOAdmin.CreateFieldInfo: appends a field.</summary>
    public Task<ApplicationInfo> CreateFieldInfoAsync(string application, FieldDefinition field, CancellationToken cancellationToken = default) =>
        SendAsync<ApplicationInfo>(HttpMethod.Post, $"v1/apps/{E(application)}/fields", field, cancellationToken);

    // ISSOAdmin: global info

    /// <summary>ISSOAdmin.GetGlobalInfo.</summary>
    public Task<GlobalInfo> GetGlobalInfoAsync(CancellationToken cancellationToken = default) =>
        SendAsync<GlobalInfo>(HttpMethod.Get, "v1/system/global-info", null, cancellationToken);

    /// <summary>ISSOAdmin.UpdateGlobalInfo with ENTSSO's update file as it is (ssomanage -updatedb).</summary>
    public Task<GlobalInfoUpdateResult> UpdateGlobalInfoAsync(string globalInfoXml, CancellationToken cancellationToken = default) =>
        SendAsync<GlobalInfoUpdateResult>(HttpMethod.Post, "v1/system/global-info", Xml(globalInfoXml), cancellationToken);

    /// <summary>ssomanage -enablesso / -disablesso.</summary>
    public Task<GlobalInfo> SetSsoEnabledAsync(bool enabled, CancellationToken cancellationToken = default) =>
        SendAsync<GlobalInfo>(HttpMethod.Post, enabled ? "v1/system/enable" : "v1/system/disable", null, cancellationToken);

    /// <summary>ssomanage -tickets: null leaves a setting as it is.</summary>
    public Task<GlobalInfo> SetTicketPolicyAsync(bool? allowed, bool? validated, CancellationToken cancellationToken = default) =>
        SendAsync<GlobalInfo>(HttpMethod.Put, "v1/system/tickets", new { allowed, validated }, cancellationToken);

    public Task RemoveGroupMemberAsync(string group, string member, CancellationToken cancellationToken = default) =>
        SendAsync<System.Text.Json.JsonElement?>(HttpMethod.Delete, $"v1/groups/{E(group)}/members/{E(member)}", null, cancellationToken);

    private static string MappingPath(string application, string? account) =>
        account is null ? $"v1/apps/{E(application)}/mappings" : $"v1/apps/{E(application)}/mappings/{E(account)}";

    private static StringContent Xml(string text)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml") { CharSet = "utf-8" };
        return content;
    }
}
