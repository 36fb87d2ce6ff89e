using Microsoft.Extensions.Time.Testing;
using SsoVault.Core.Applications;
using SsoVault.Core.ConfigStore;
using SsoVault.Core.Entsso;
using SsoVault.Core.Errors;
using SsoVault.Core.Identity;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Nodes;
using SsoVault.Core.Security;
using SsoVault.Core.Storage;
using SsoVault.Core.Tests.MasterSecrets;

namespace SsoVault.Core.Tests.Security;

/// <summary>
/// Every access-checked operation, run for real through its service as every role, against ENTSSO's permission matrix
/// (reference/entsso.md §1.5) written out here independently of <see cref="AccessPolicy"/>. A denied call must fail
/// with AccessDenied and change nothing; an allowed one must succeed.
/// </summary>
[Collection(NodeTemplateCollection.Name)]
public sealed class RoleMatrixTests(NodeTemplateFixture template)
{
    private const string App = "App";
    private const string EmptyApp = "Empty";
    private const string ConfigApp = "Cfg";

    /// <summary>The matrix as ENTSSO documents it: the least role that may do each operation.</summary>
    private static readonly Dictionary<SsoOperation, SsoRole> Entsso = new()
    {
        [SsoOperation.ReadGlobalInfo] = SsoRole.SsoAdministrator,
        [SsoOperation.UpdateGlobalInfo] = SsoRole.SsoAdministrator,
        [SsoOperation.EnableDisableSso] = SsoRole.SsoAdministrator,
        [SsoOperation.ChangeSystemRoleAccounts] = SsoRole.SsoAdministrator,
        [SsoOperation.ManageMasterSecret] = SsoRole.SsoAdministrator,
        [SsoOperation.ManageDirectory] = SsoRole.SsoAdministrator,
        [SsoOperation.ManageAnyApiKey] = SsoRole.SsoAdministrator,
        [SsoOperation.ChangeApplicationTicketSettings] = SsoRole.SsoAdministrator,
        [SsoOperation.ReadDirectory] = SsoRole.AffiliateAdministrator,
        [SsoOperation.CreateApplication] = SsoRole.AffiliateAdministrator,
        [SsoOperation.DeleteApplication] = SsoRole.AffiliateAdministrator,
        [SsoOperation.ChangeApplicationAdminAccounts] = SsoRole.AffiliateAdministrator,
        [SsoOperation.UpdateApplication] = SsoRole.ApplicationAdministrator,
        [SsoOperation.EnableDisableApplication] = SsoRole.ApplicationAdministrator,
        [SsoOperation.AddField] = SsoRole.ApplicationAdministrator,
        [SsoOperation.PurgeCache] = SsoRole.ApplicationAdministrator,
        [SsoOperation.ManageAnyMapping] = SsoRole.ApplicationAdministrator,
        [SsoOperation.SetAnyCredentials] = SsoRole.ApplicationAdministrator,
        [SsoOperation.RedeemTicket] = SsoRole.ApplicationAdministrator,
        [SsoOperation.WriteConfig] = SsoRole.ApplicationAdministrator,
        [SsoOperation.ReadApplication] = SsoRole.ApplicationUser,
        [SsoOperation.ManageOwnMapping] = SsoRole.ApplicationUser,
        [SsoOperation.SetOwnCredentials] = SsoRole.ApplicationUser,
        [SsoOperation.LookupOwnCredentials] = SsoRole.ApplicationUser,
        [SsoOperation.ReadConfig] = SsoRole.ApplicationUser,
        [SsoOperation.ReadConfigRuntime] = SsoRole.ApplicationUser,
        [SsoOperation.IssueTicket] = SsoRole.None,
    };

    /// <summary>One account per role; each is also an application user with its own mapping, except the outsider.</summary>
    private static readonly Dictionary<SsoRole, string> AccountOf = new()
    {
        [SsoRole.SsoAdministrator] = @"CORP\sso-admin",
        [SsoRole.AffiliateAdministrator] = @"CORP\affiliate-admin",
        [SsoRole.ApplicationAdministrator] = @"CORP\app-admin",
        [SsoRole.ApplicationUser] = @"CORP\app-user",
        [SsoRole.None] = @"CORP\outsider",
    };

    public static TheoryData<SsoOperation, SsoRole> Cases()
    {
        var data = new TheoryData<SsoOperation, SsoRole>();
        foreach (var operation in Enum.GetValues<SsoOperation>())
        {
            foreach (var role in AccountOf.Keys)
            {
                data.Add(operation, role);
            }
        }

        return data;
    }

    [Fact]
    public void Matrix_CoversEveryOperationAndMatchesThePolicy()
    {
        Assert.Equal(Enum.GetValues<SsoOperation>().Order(), Entsso.Keys.Order());
        foreach (var (operation, role) in Entsso)
        {
            Assert.Equal(role, AccessPolicy.MinimumRole[operation]);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Operation_AsRole_AllowedExactlyWhenTheMatrixSays(SsoOperation operation, SsoRole role)
    {
        await using var test = await template.CloneAsync(new FakeTimeProvider(NodeTemplateFixture.CreatedUtc.AddDays(1)));
        var node = test.Node;
        await ArrangeAsync(node);
        var caller = await IdentityService.ResolveAsync(node.Database, AccountOf[role], CancellationToken.None);
        var allowed = role >= Entsso[operation];
        var act = await PrepareAsync(node, caller, operation);
        var before = await DumpAsync(node);

        var error = await Record.ExceptionAsync(act);

        if (allowed)
        {
            Assert.True(error is null, $"{operation} as {role} should succeed but failed: {error}");
        }
        else
        {
            var refusal = Assert.IsType<SsoException>(error);
            Assert.Equal(SsoErrorCode.AccessDenied, refusal.Code);
            Assert.Equal(before, await DumpAsync(node));
        }
    }

    [Fact]
    public async Task EveryOperation_AsLocalOperator_Allowed()
    {
        foreach (var operation in Enum.GetValues<SsoOperation>().Where(o => o is not SsoOperation.IssueTicket and not SsoOperation.LookupOwnCredentials
                     and not SsoOperation.ManageOwnMapping and not SsoOperation.SetOwnCredentials))
        {
            await using var test = await template.CloneAsync(new FakeTimeProvider(NodeTemplateFixture.CreatedUtc.AddDays(1)));
            await ArrangeAsync(test.Node);
            await (await PrepareAsync(test.Node, Caller.LocalOperator, operation))();
        }
    }

    /// <summary>The state every case starts from, made by the local operator.</summary>
    private static async Task ArrangeAsync(SsoNode node)
    {
        var op = Caller.LocalOperator;
        var ct = CancellationToken.None;
        foreach (var account in AccountOf.Values.Append(@"CORP\victim"))
        {
            await IdentityService.AddAccountAsync(node, op, account, AccountKind.User, ct);
        }

        await IdentityService.AddAccountAsync(node, op, @"CORP\App Users", AccountKind.Group, ct);
        await IdentityService.AddAccountAsync(node, op, @"CORP\App Admins", AccountKind.Group, ct);
        await IdentityService.AddMemberAsync(node, op, @"SSO\SSO Administrators", AccountOf[SsoRole.SsoAdministrator], ct);
        await IdentityService.AddMemberAsync(node, op, @"SSO\SSO Affiliate Administrators", AccountOf[SsoRole.AffiliateAdministrator], ct);
        await IdentityService.AddMemberAsync(node, op, @"CORP\App Admins", AccountOf[SsoRole.ApplicationAdministrator], ct);
        foreach (var role in new[] { SsoRole.SsoAdministrator, SsoRole.AffiliateAdministrator, SsoRole.ApplicationAdministrator, SsoRole.ApplicationUser })
        {
            await IdentityService.AddMemberAsync(node, op, @"CORP\App Users", AccountOf[role], ct);
        }

        await IdentityService.AddMemberAsync(node, op, @"CORP\App Users", @"CORP\victim", ct);
        foreach (var (name, type) in new[] { (App, ApplicationType.Individual), (EmptyApp, ApplicationType.Individual), (ConfigApp, ApplicationType.ConfigStore) })
        {
            await ApplicationService.CreateAsync(node, op, new ApplicationDefinition
            {
                Name = name,
                Type = type,
                UserAccounts = [@"CORP\App Users"],
                AdminAccounts = [@"CORP\App Admins"],
                Fields = type == ApplicationType.ConfigStore ? [] : [new FieldDefinition("User Id"), new FieldDefinition("Password", Masked: true)],
            }, ct);
        }

        await ApplicationService.UpdateAsync(node, op, App, new ApplicationUpdate { Enabled = true, AllowTickets = true, ValidateTickets = false }, ct);
        foreach (var account in AccountOf.Where(a => a.Key != SsoRole.None).Select(a => a.Value).Append(@"CORP\victim"))
        {
            await CredentialService.SetAsync(node, op, App, account, account.Replace(@"CORP\", "EXT-", StringComparison.Ordinal), ["secret"], ct);
        }

        await GlobalInfoService.SetTicketsAsync(node, op, allowed: true, validated: false, ct);
        await ConfigStoreService.SetAsync(node, op, ConfigApp, "rec", [new("k", "v")], [], ct);
    }

    /// <summary>Runs what an operation needs first (as the local operator), and returns the operation itself.</summary>
    private static async Task<Func<Task>> PrepareAsync(SsoNode node, Caller caller, SsoOperation operation)
    {
        var ct = CancellationToken.None;
        switch (operation)
        {
            case SsoOperation.ChangeSystemRoleAccounts:
                await GlobalInfoService.SetSsoEnabledAsync(node, Caller.LocalOperator, false, ct);
                return () => GlobalInfoService.ApplyAsync(node, caller,
                    new GlobalInfoFile { AffiliateAdminAccounts = [@"SSO\SSO Affiliate Administrators", @"CORP\victim"] }, ct);
            case SsoOperation.RedeemTicket:
                var ticket = await TicketService.IssueAsync(node, await IdentityService.ResolveAsync(node.Database, @"CORP\victim", ct), ct);
                return () => TicketService.RedeemAsync(node, caller, App, ticket.Ticket, null, ct);
            default:
                return () => ActAsync(node, caller, operation);
        }
    }

    private static async Task ActAsync(SsoNode node, Caller caller, SsoOperation operation)
    {
        var ct = CancellationToken.None;
        var self = caller.IsLocalOperator ? @"CORP\app-user" : caller.Account;
        switch (operation)
        {
            case SsoOperation.ReadGlobalInfo:
                await GlobalInfoService.GetAsync(node, caller, ct);
                break;
            case SsoOperation.UpdateGlobalInfo:
                await GlobalInfoService.SetTicketsAsync(node, caller, allowed: false, validated: null, ct);
                break;
            case SsoOperation.EnableDisableSso:
                await GlobalInfoService.SetSsoEnabledAsync(node, caller, false, ct);
                break;
            case SsoOperation.ManageMasterSecret:
                using (var password = SsoVault.Core.Backup.BackupPassword.From(NodeTemplateFixture.Password))
                {
                    await SecretBackup.BackupAsync(node, caller, Path.Combine(node.Home.Root, $"{Guid.NewGuid():N}.bak"), "", password, ct);
                }

                break;
            case SsoOperation.ManageDirectory:
                await IdentityService.AddAccountAsync(node, caller, @"CORP\newcomer", AccountKind.User, ct);
                break;
            case SsoOperation.ReadDirectory:
                await IdentityService.ListAccountsAsync(node, caller, ct);
                break;
            case SsoOperation.ManageAnyApiKey:
                await IdentityService.CreateApiKeyAsync(node, caller, @"CORP\victim", "", ct);
                break;
            case SsoOperation.CreateApplication:
                await ApplicationService.CreateAsync(node, caller, new ApplicationDefinition { Name = "Another" }, ct);
                break;
            case SsoOperation.ReadApplication:
                await ApplicationService.ShowAsync(node, caller, App, ct);
                break;
            case SsoOperation.UpdateApplication:
                await ApplicationService.UpdateAsync(node, caller, App, new ApplicationUpdate { Description = "changed" }, ct);
                break;
            case SsoOperation.ChangeApplicationAdminAccounts:
                await ApplicationService.UpdateAsync(node, caller, App, new ApplicationUpdate { AdminAccounts = [@"CORP\App Admins", @"CORP\victim"] }, ct);
                break;
            case SsoOperation.ChangeApplicationTicketSettings:
                await ApplicationService.UpdateAsync(node, caller, App, new ApplicationUpdate { TicketTimeoutMinutes = 10 }, ct);
                break;
            case SsoOperation.EnableDisableApplication:
                await ApplicationService.SetEnabledAsync(node, caller, App, false, ct);
                break;
            case SsoOperation.DeleteApplication:
                await ApplicationService.DeleteAsync(node, caller, App, ct);
                break;
            case SsoOperation.AddField:
                await ApplicationService.AddFieldAsync(node, caller, EmptyApp, new FieldDefinition("Extra"), ct);
                break;
            case SsoOperation.PurgeCache:
                await ApplicationService.PurgeCacheAsync(node, caller, App, ct);
                break;
            case SsoOperation.ManageAnyMapping:
                await MappingService.SetEnabledAsync(node, caller, App, @"CORP\victim", false, ct);
                break;
            case SsoOperation.ManageOwnMapping:
                await MappingService.SetEnabledAsync(node, caller, App, self, false, ct);
                break;
            case SsoOperation.SetAnyCredentials:
                await CredentialService.SetAsync(node, caller, App, @"CORP\victim", null, ["changed"], ct);
                break;
            case SsoOperation.SetOwnCredentials:
                await CredentialService.SetAsync(node, caller, App, self, self.Replace(@"CORP\", "EXT-", StringComparison.Ordinal), ["changed"], ct);
                break;
            case SsoOperation.LookupOwnCredentials:
                await CredentialService.LookupAsync(node, caller, App, ct);
                break;
            case SsoOperation.IssueTicket:
                await TicketService.IssueAsync(node, caller, ct);
                break;
            case SsoOperation.ReadConfig:
                await ConfigStoreService.GetAsync(node, caller, ConfigApp, "rec", runtime: false, ct);
                break;
            case SsoOperation.ReadConfigRuntime:
                await ConfigStoreService.GetAsync(node, caller, ConfigApp, "rec", runtime: true, ct);
                break;
            case SsoOperation.WriteConfig:
                await ConfigStoreService.SetAsync(node, caller, ConfigApp, "rec", [new("k", "changed")], [], ct);
                break;
            default:
                throw new InvalidOperationException($"No action for {operation}: add one.");
        }
    }

    /// <summary>Everything a refused call must leave as it was (audit rows of successful setup included).</summary>
    private static async Task<string> DumpAsync(SsoNode node)
    {
        await using var transaction = await node.Database.BeginReadAsync(CancellationToken.None);
        var ct = CancellationToken.None;
        var text = new System.Text.StringBuilder();
        text.AppendLine(System.Text.Json.JsonSerializer.Serialize(await transaction.System.GetSettingsAsync(ct)));
        text.AppendLine(string.Join("|", await transaction.System.GetRoleAccountsAsync(SystemRole.AffiliateAdministrators, ct)));
        foreach (var account in await transaction.Accounts.ListAsync(ct))
        {
            text.AppendLine(account.Name).AppendLine(string.Join("|", await transaction.Accounts.ListApiKeysAsync(account.Name, ct)));
        }

        foreach (var app in await transaction.Applications.ListAsync(ct))
        {
            text.AppendLine(app.ToString()).AppendLine(string.Join("|", await transaction.Applications.GetAccountsAsync(app.Name, ApplicationAccountRole.Administrators, ct)));
            text.AppendLine(string.Join("|", await transaction.Applications.GetFieldsAsync(app.Name, ct)));
        }

        foreach (var mapping in await transaction.Mappings.ListAsync(null, null, ct))
        {
            text.AppendLine(mapping.ToString());
            foreach (var (ordinal, envelope) in await transaction.Mappings.GetCredentialsAsync(mapping.Id, ct))
            {
                text.Append(ordinal).Append(Convert.ToHexString(envelope)).AppendLine();
            }
        }

        await foreach (var (app, id, property) in transaction.Config.ScanAsync(ct))
        {
            text.Append(app).Append(id).Append(property.Name).AppendLine(Convert.ToHexString(property.Envelope));
        }

        text.AppendLine((await transaction.Audit.ListRecentAsync(1000, ct)).Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return text.ToString();
    }
}
