using Microsoft.AspNetCore.Http.HttpResults;
using SsoVault.Core.Identity;
using SsoVault.Core.Storage;
using SsoVault.Server.Authentication;

namespace SsoVault.Server.Endpoints;

public sealed record AddAccountRequest(string Name, AccountKind Kind = AccountKind.User);

public sealed record AddMemberRequest(string Member);

public sealed record AddMemberResult(string Group, string Member, bool Added);

public sealed record CreateApiKeyRequest(string Account, string? Description = null);

/// <summary>The built-in directory and API keys. Account names contain a backslash: URL-encode it (%5C) in paths.</summary>
internal static class DirectoryEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var accounts = v1.MapGroup("/accounts").WithTags("Directory");
        accounts.MapGet("/", ListAccountsAsync).WithSummary("Accounts with their groups (SSO Affiliate Administrators and above).");
        accounts.MapPost("/", AddAccountAsync).WithSummary("Add a user or group (SSO Administrators).");
        accounts.MapDelete("/{name}", RemoveAccountAsync).WithSummary(@"Remove an account; URL-encode the backslash: CORP%5Calice.");
        v1.MapPost("/groups/{group}/members", AddMemberAsync).WithTags("Directory").WithSummary("Add a user or group to a group.");
        v1.MapPost("/groups/{group}/members/{member}", (HttpContext http, string group, string member) => AddMemberAsync(http, group, new AddMemberRequest(member)))
            .WithTags("Directory").WithSummary("Add a user or group to a group (the member in the path, URL-encoded).");
        v1.MapDelete("/groups/{group}/members/{member}", RemoveMemberAsync).WithTags("Directory").WithSummary("Remove a direct member from a group.");

        var keys = v1.MapGroup("/apikeys").WithTags("API keys");
        keys.MapGet("/", ListKeysAsync).WithSummary("API keys (never their secrets): all for SSO Administrators, else the caller's own.");
        keys.MapPost("/", CreateKeyAsync).WithSummary("Create an API key; the token is in this response only.");
        keys.MapDelete("/{id}", RevokeKeyAsync).WithSummary("Revoke an API key.");
    }

    private static async Task<Ok<IReadOnlyList<AccountView>>> ListAccountsAsync(HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await IdentityService.ListAccountsAsync(await http.NodeAsync(), http.Caller(), cancellationToken));

    private static async Task<Created<AccountRecord>> AddAccountAsync(HttpContext http, AddAccountRequest request)
    {
        var account = await IdentityService.AddAccountAsync(await http.NodeAsync(), http.Caller(), request.Name, request.Kind, http.RequestAborted);
        return TypedResults.Created($"/v1/accounts/{Uri.EscapeDataString(account.Name)}", account);
    }

    private static async Task<NoContent> RemoveAccountAsync(HttpContext http, string name)
    {
        await IdentityService.RemoveAccountAsync(await http.NodeAsync(), http.Caller(), name, http.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<AddMemberResult>> AddMemberAsync(HttpContext http, string group, AddMemberRequest request)
    {
        var added = await IdentityService.AddMemberAsync(await http.NodeAsync(), http.Caller(), group, request.Member, http.RequestAborted);
        return TypedResults.Ok(new AddMemberResult(group, request.Member, added));
    }

    private static async Task<NoContent> RemoveMemberAsync(HttpContext http, string group, string member)
    {
        await IdentityService.RemoveMemberAsync(await http.NodeAsync(), http.Caller(), group, member, http.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<ApiKeyView>>> ListKeysAsync(HttpContext http, string? account) =>
        TypedResults.Ok(await IdentityService.ListApiKeysAsync(await http.NodeAsync(), http.Caller(), account, http.RequestAborted));

    private static async Task<Created<CreatedApiKey>> CreateKeyAsync(HttpContext http, CreateApiKeyRequest request)
    {
        var key = await IdentityService.CreateApiKeyAsync(await http.NodeAsync(), http.Caller(), request.Account, request.Description ?? "", http.RequestAborted);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/v1/apikeys/{key.Id}", key);
    }

    private static async Task<NoContent> RevokeKeyAsync(HttpContext http, string id)
    {
        await IdentityService.RevokeApiKeyAsync(await http.NodeAsync(), http.Caller(), id, http.RequestAborted);
        return TypedResults.NoContent();
    }
}
