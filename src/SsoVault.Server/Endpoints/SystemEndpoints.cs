using Microsoft.AspNetCore.Http.HttpResults;
using SsoVault.Core.Identity;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Nodes;
using SsoVault.Core.Security;
using SsoVault.Server.Authentication;

namespace SsoVault.Server.Endpoints;

public sealed record WhoAmI(string Account, IReadOnlyList<string> Memberships, SsoRole SystemRole);

/// <summary>Global info (ssomanage -displaydb), the master secret's status, and who the caller is.</summary>
internal static class SystemEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/system", SystemAsync).WithTags("System")
            .WithSummary("The SSO system's global info (ENTSSO ssomanage -displaydb). SSO Administrators only.");
        v1.MapGet("/secret/status", SecretStatusAsync).WithTags("System")
            .WithSummary("The master secret's health: ids, key-check values, ages, backups, warnings. SSO Administrators only.");
        v1.MapGet("/whoami", WhoAmIAsync).WithTags("Directory")
            .WithSummary("The authenticated account, its groups, and its system-wide role.");
    }

    private static async Task<Ok<SystemOverviewResult>> SystemAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var node = await RequireAsync(http, SsoOperation.ReadGlobalInfo);
        return TypedResults.Ok(await SystemOverview.GetAsync(node, cancellationToken));
    }

    private static async Task<Ok<SecretStatus>> SecretStatusAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var node = await RequireAsync(http, SsoOperation.ReadGlobalInfo);
        return TypedResults.Ok(await SecretStatusReport.GetAsync(node, cancellationToken));
    }

    private static async Task<Ok<WhoAmI>> WhoAmIAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var node = await http.NodeAsync();
        var caller = http.Caller();
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var role = AccessPolicy.RoleOf(caller, await AccessLoader.SystemAsync(transaction, cancellationToken));
        return TypedResults.Ok(new WhoAmI(caller.Account, caller.Memberships.Order(StringComparer.OrdinalIgnoreCase).ToList(), role));
    }

    /// <summary>The services behind these endpoints take no caller (the local CLI is always an operator), so the check is here.</summary>
    private static async Task<SsoNode> RequireAsync(HttpContext http, SsoOperation operation)
    {
        var node = await http.NodeAsync();
        await using var transaction = await node.Database.BeginAsync(http.RequestAborted);
        AccessPolicy.Require(http.Caller(), operation, await AccessLoader.SystemAsync(transaction, http.RequestAborted));
        return node;
    }
}
