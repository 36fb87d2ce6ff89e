using SsoVault.Core.ConfigStore;
using SsoVault.Core.Identity;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;
using C = SsoVault.Client;

namespace SsoVault.Cli.Remote;

/// <summary>
/// The client's wire records as the Core's result types, so that a command prints exactly the same text and JSON
/// whether it ran on the local node or through a server.
/// </summary>
internal static class RemoteModels
{
    public static ConfigRecord ToCore(this C.ConfigInfo r) =>
        new(r.Application, r.Identifier, r.Runtime, r.Properties.Select(p => new ConfigProperty(p.Name, p.Value, p.Masked, p.UpdatedUtc)).ToList());

    public static ConfigSetResult ToCore(this C.ConfigSetResult r) =>
        new(r.Application, r.Identifier, r.ApplicationCreated, r.PropertiesSet, r.PropertiesTotal);

    public static ConfigApplicationSummary ToCore(this C.ConfigApplicationListing r) =>
        new(r.Application, r.Identifiers.Select(i => (i.Identifier, i.Properties)).ToList());

    public static AccountRecord ToCore(this C.Account r) => new(r.Name, ToCore(r.Kind), r.CreatedUtc);

    public static AccountView ToCore(this C.AccountInfo r) => new(r.Name, ToCore(r.Kind), r.MemberOf, r.Members, r.CreatedUtc);

    public static ApiKeyView ToCore(this C.ApiKeyInfo r) => new(r.Id, r.Account, r.Description, r.CreatedUtc, r.RevokedUtc);

    public static CreatedApiKey ToCore(this C.CreatedApiKey r) => new(r.Id, r.Account, r.Token);

    public static SystemOverviewResult ToCore(this C.SystemInfo r) =>
        new(r.SystemId, r.Database, r.SchemaVersion, r.SecretServer, r.ThisNode, r.CreatedUtc, ToCore(r.Current), ToCore(r.Previous),
            r.Nodes.Select(n => new NodeRecord(n.Name, n.JoinedUtc) { State = NodeStates.Parse(n.State) }).ToList(), r.DataKeys);

    public static SecretStatus ToCore(this C.SecretStatus r) =>
        new(r.SecretServer, r.ThisNode, r.ThisNodeIsSecretServer, ToCore(r.Current), ToCore(r.Previous), r.LastBackupUtc, r.LastBackupMsid,
            r.CurrentSecretBackedUp, Enum.Parse<LocalSecretState>(r.LocalSecret.ToString()), r.Warnings)
        {
            DataKeys = r.DataKeys.Select(k => new DataKeyStatus(k.Id, Enum.Parse<DataKeyState>(k.State, ignoreCase: true), k.Values, k.Encryptions,
                k.CreatedUtc, k.RetiredUtc, k.WaitingFor)
            { WrappedUnderMsid = k.WrappedUnderMsid }).ToList(),
            Reencryption = r.Reencryption is { } j
                ? new ReencryptionProgress(j.JobId, j.TargetKeyId, Enum.Parse<ValueTable>(j.Stage, ignoreCase: true), j.Processed, j.Skipped, j.Remaining, j.Finished)
                : null,
        };

    public static C.AccountKind ToClient(AccountKind kind) => kind == AccountKind.Group ? C.AccountKind.Group : C.AccountKind.User;

    private static AccountKind ToCore(C.AccountKind kind) => kind == C.AccountKind.Group ? AccountKind.Group : AccountKind.User;

    private static MasterSecretInfo? ToCore(C.MasterSecretInfo? s) => s is null ? null : new(s.Msid, s.KeyCheck, s.CreatedUtc);

    private static SecretStatusSecret? ToCore(C.SecretStatusSecret? s) => s is null ? null : new(s.Msid, s.KeyCheck, s.CreatedUtc, s.AgeDays);
}
