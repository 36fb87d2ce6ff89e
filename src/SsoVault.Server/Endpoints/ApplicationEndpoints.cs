using Microsoft.AspNetCore.Http.HttpResults;
using SsoVault.Core.Applications;
using SsoVault.Core.Entsso;
using SsoVault.Server.Authentication;

namespace SsoVault.Server.Endpoints;

/// <summary>
/// Affiliate applications (ENTSSO's ISSOAdmin: CreateApplication, UpdateApplication, DeleteApplication,
/// GetApplicationInfo, CreateFieldInfo; ssomanage -createapps/-updateapps/-enableapp/-disableapp/-listapps/-displayapp).
/// </summary>
internal static class ApplicationEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var apps = v1.MapGroup("/apps").WithTags("Applications");
        apps.MapGet("/", ListAsync).WithSummary("The applications the caller has a role on; ?all=true includes config store applications (ssomanage -listapps).");
        apps.MapPost("/", CreateAsync)
            .Accepts<ApplicationDefinition>("application/json", "application/xml")
            .Produces<ApplicationView>(StatusCodes.Status201Created)
            .Produces<List<ApplicationView>>(StatusCodes.Status201Created, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("CreateApplication from JSON (one application), or ENTSSO's application file as application/xml (ssomanage -createapps; " +
                         "?update=true is -updateapps), all or nothing. Applications are created disabled.");
        apps.MapGet("/{app}", ShowAsync).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("GetApplicationInfo (ssomanage -displayapp).");
        apps.MapPatch("/{app}", UpdateAsync).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("UpdateApplication: a partial update; members not given keep their values. Ticket settings need SSO Administrators.");
        apps.MapDelete("/{app}", DeleteAsync).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("DeleteApplication with its fields, mappings and credentials (ssomanage -deleteapp).");
        apps.MapPost("/{app}/enable", (HttpContext http, string app) => SetEnabledAsync(http, app, true)).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Enable the application (ssomanage -enableapp); refused until it is complete.");
        apps.MapPost("/{app}/disable", (HttpContext http, string app) => SetEnabledAsync(http, app, false)).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Disable the application (ssomanage -disableapp).");
        apps.MapPost("/{app}/purge-cache", PurgeCacheAsync).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("PurgeCacheForApplication (ssomanage -purgecache): every node's cached lookups of the application are dropped at once.");
        apps.MapPost("/{app}/fields", AddFieldAsync).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("CreateFieldInfo: append a field, while the application is disabled and has no credentials.");
    }

    private static async Task<NoContent> PurgeCacheAsync(HttpContext http, string app)
    {
        await ApplicationService.PurgeCacheAsync(await http.NodeAsync(), http.Caller(), app, http.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<ApplicationView>>> ListAsync(HttpContext http, bool? all, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ApplicationService.ListAsync(await http.NodeAsync(), http.Caller(), all ?? false, cancellationToken));

    private static async Task<IResult> CreateAsync(HttpContext http, bool? update)
    {
        var node = await http.NodeAsync();
        if (RequestBody.IsXml(http.Request))
        {
            var entries = ApplicationFile.Parse(await RequestBody.ReadXmlAsync(http), RequestBody.XmlSource);
            var views = await EntssoImport.ImportApplicationsAsync(node, http.Caller(), entries, RequestBody.XmlSource, update ?? false, http.RequestAborted);
            return update == true ? TypedResults.Ok(views) : TypedResults.Created((string?)null, views);
        }

        var definition = await RequestBody.ReadJsonAsync<ApplicationDefinition>(http);
        var view = await ApplicationService.CreateAsync(node, http.Caller(), definition, http.RequestAborted);
        return TypedResults.Created($"/v1/apps/{Uri.EscapeDataString(view.Name)}", view);
    }

    private static async Task<Ok<ApplicationView>> ShowAsync(HttpContext http, string app) =>
        TypedResults.Ok(await ApplicationService.ShowAsync(await http.NodeAsync(), http.Caller(), app, http.RequestAborted));

    private static async Task<Ok<ApplicationView>> UpdateAsync(HttpContext http, string app, ApplicationUpdate update) =>
        TypedResults.Ok(await ApplicationService.UpdateAsync(await http.NodeAsync(), http.Caller(), app, update, http.RequestAborted));

    private static async Task<NoContent> DeleteAsync(HttpContext http, string app)
    {
        await ApplicationService.DeleteAsync(await http.NodeAsync(), http.Caller(), app, http.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ApplicationView>> SetEnabledAsync(HttpContext http, string app, bool enabled) =>
        TypedResults.Ok(await ApplicationService.SetEnabledAsync(await http.NodeAsync(), http.Caller(), app, enabled, http.RequestAborted));

    private static async Task<Ok<ApplicationView>> AddFieldAsync(HttpContext http, string app, FieldDefinition field) =>
        TypedResults.Ok(await ApplicationService.AddFieldAsync(await http.NodeAsync(), http.Caller(), app, field, http.RequestAborted));
}
