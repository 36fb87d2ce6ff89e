using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;
using SsoVault.Server.Authentication;
using SsoVault.Server.Endpoints;
using SsoVault.Server.Errors;
using SsoVault.Server.Hosting;

namespace SsoVault.Server;

/// <summary>The server module's public face: register its services, map its endpoints.</summary>
public static class SsoVaultServerExtensions
{
    /// <summary>Registers the SSO server for the node in <paramref name="home"/>, whose database <paramref name="databases"/> opens.</summary>
    public static IServiceCollection AddSsoVaultServer(this IServiceCollection services, NodeHome home, ISsoDatabaseProvider databases,
        TimeProvider? clock = null, KeyMaintenanceOptions? keyMaintenance = null)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(databases);
        services.AddSingleton(sp => new SharedNode(home, databases, clock ?? TimeProvider.System,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("SsoVault")));
        services.AddSingleton(keyMaintenance ?? new KeyMaintenanceOptions());
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddHostedService<KeyMaintenanceService>();
        services.TryAddSingleton(new NodeSyncOptions());
        services.AddSingleton<NodeSyncState>();
        services.AddSingleton<Core.KeyDistribution.HandoverInbox>();
        services.AddHostedService<NodeSyncService>();
        services.ConfigureHttpJsonOptions(options => Configure(options.SerializerOptions));
        // Malformed bodies throw, so that the one exception handler turns them into a problem naming the field.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = StatusCodeProblems.Customize);
        services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "SsoVault SSO server";
            document.Info.Version = "v1";
            document.Info.Description = "Authenticate with 'Authorization: Bearer <API key>' (or 'X-Api-Key'). Errors are RFC 7807 problems with a stable 'code'.";
            return Task.CompletedTask;
        }));
        return services;
    }

    /// <summary>Maps <c>/v1/...</c> and <c>/openapi/v1.json</c>. Call after <c>UseExceptionHandler()</c>.</summary>
    public static IEndpointRouteBuilder MapSsoVaultEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1");
        HealthEndpoints.Map(v1);
        NodeEndpoints.Map(v1);
        MetricsEndpoints.Map(endpoints);
        var authenticated = v1.MapGroup("").AddEndpointFilter<ApiKeyFilter>().ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        SystemEndpoints.Map(authenticated);
        ConfigEndpoints.Map(authenticated);
        DirectoryEndpoints.Map(authenticated);
        ApplicationEndpoints.Map(authenticated);
        MappingEndpoints.Map(authenticated);
        CredentialEndpoints.Map(authenticated);
        GlobalInfoEndpoints.Map(authenticated);
        endpoints.MapOpenApi("/openapi/{documentName}.json");
        return endpoints;
    }

    /// <summary>The wire format: camelCase names and enum values; missing or null required members are errors that name them.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        // A misspelt member is refused by name rather than silently ignored ("isEnabled" would otherwise change nothing).
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    }
}
