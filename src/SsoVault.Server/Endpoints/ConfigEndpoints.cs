using Microsoft.AspNetCore.Http.HttpResults;
using SsoVault.Core.ConfigStore;
using SsoVault.Server.Authentication;

namespace SsoVault.Server.Endpoints;

/// <summary>A config write: properties to set (the others keep their values) and which of them to mask.</summary>
public sealed record SetConfigRequest(IReadOnlyDictionary<string, string> Properties, IReadOnlyList<string>? Masked = null);

public sealed record ConfigDeleteResult(int Deleted);

public sealed record ConfigIdentifierSummary(string Identifier, int Properties);

public sealed record ConfigApplicationListing(string Application, IReadOnlyList<ConfigIdentifierSummary> Identifiers);

/// <summary>ENTSSO's ISSOConfigStore: GetConfigInfo, SetConfigInfo, DeleteConfigInfo, and a listing.</summary>
internal static class ConfigEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var config = v1.MapGroup("/config").WithTags("Config store");
        config.MapGet("/", (HttpContext http, CancellationToken cancellationToken) => ListAsync(http, null, cancellationToken)).WithSummary("Config store applications and their records (those the caller may read).");
        config.MapGet("/{app}", (HttpContext http, string app, CancellationToken cancellationToken) => ListAsync(http, app, cancellationToken)).WithSummary("One config store application's records.");
        config.MapGet("/{app}/{identifier}", GetAsync)
            .WithSummary("GetConfigInfo. Masked properties have a null value unless runtime=true (ENTSSO's runtime read).");
        // PUT and PATCH both merge, as ENTSSO's SetConfigInfo does: properties not named keep their values.
        config.MapPut("/{app}/{identifier}", SetAsync)
            .WithSummary("SetConfigInfo: set properties (merged into the record; the application is created on first use).");
        config.MapPatch("/{app}/{identifier}", SetAsync).WithSummary("Same as PUT: a partial update.");
        config.MapDelete("/{app}/{identifier}", DeleteAsync)
            .WithSummary("DeleteConfigInfo: delete the record, or one property with ?property=NAME.");
    }

    private static async Task<Ok<ConfigRecord>> GetAsync(HttpContext http, string app, string identifier, bool? runtime)
    {
        var node = await http.NodeAsync();
        return TypedResults.Ok(await ConfigStoreService.GetAsync(node, http.Caller(), app, identifier, runtime ?? false, http.RequestAborted));
    }

    private static async Task<Ok<ConfigSetResult>> SetAsync(HttpContext http, string app, string identifier, SetConfigRequest request)
    {
        var node = await http.NodeAsync();
        var values = (request.Properties ?? new Dictionary<string, string>()).ToList();
        var masked = (request.Masked ?? []).ToHashSet(StringComparer.Ordinal);
        return TypedResults.Ok(await ConfigStoreService.SetAsync(node, http.Caller(), app, identifier, values, masked, http.RequestAborted));
    }

    private static async Task<Ok<ConfigDeleteResult>> DeleteAsync(HttpContext http, string app, string identifier, string? property)
    {
        var node = await http.NodeAsync();
        return TypedResults.Ok(new ConfigDeleteResult(await ConfigStoreService.DeleteAsync(node, http.Caller(), app, identifier, property, http.RequestAborted)));
    }

    private static async Task<Ok<List<ConfigApplicationListing>>> ListAsync(HttpContext http, string? app, CancellationToken cancellationToken)
    {
        var node = await http.NodeAsync();
        var apps = await ConfigStoreService.ListAsync(node, http.Caller(), app, cancellationToken);
        return TypedResults.Ok(apps.Select(a => new ConfigApplicationListing(a.Application,
            a.Identifiers.Select(i => new ConfigIdentifierSummary(i.Identifier, i.Properties)).ToList())).ToList());
    }
}
