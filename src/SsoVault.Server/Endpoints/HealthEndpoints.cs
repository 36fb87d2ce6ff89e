using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using SsoVault.Core.Errors;
using SsoVault.Server.Authentication;
using SsoVault.Server.Diagnostics;

namespace SsoVault.Server.Endpoints;

public sealed record HealthCheck(string Name, bool Ok, string? Code, string Detail);

public sealed record LivenessReport(string Status);

public sealed record ReadinessReport(string Status, string Node, IReadOnlyList<HealthCheck> Checks, IReadOnlyList<string> WaitingFor);

/// <summary>Liveness (the process answers) and readiness (database reachable and the key ring unwraps), without authentication.</summary>
internal static class HealthEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var health = v1.MapGroup("/health").WithTags("Health");
        health.MapGet("/live", () => TypedResults.Ok(new LivenessReport("live")))
            .WithSummary("The process is up (no checks, no authentication).");
        health.MapGet("/ready", ReadyAsync)
            .WithSummary("Ready to serve: the SSO database is reachable and this node's master secret unwraps the key ring. 503 says what it waits for.");
    }

    private static async Task<Results<Ok<ReadinessReport>, JsonHttpResult<ReadinessReport>>> ReadyAsync(HttpContext http, ILoggerFactory loggers)
    {
        var node = await http.NodeAsync();
        var ct = http.RequestAborted;
        var checks = new List<HealthCheck>();
        var database = await CheckAsync("database", async () =>
        {
            // A read snapshot: it proves the database answers without queueing behind writers for the writer lock.
            await using var transaction = await node.Database.BeginReadAsync(ct);
            var info = await node.GetSystemInfoAsync(transaction, ct);
            return $"SSO system {info.SystemId} in {node.Database.DisplayLocation}";
        });
        checks.Add(database);
        if (database.Ok)
        {
            // The key ring the requests use, loaded when missing; a node that is not the secret server gets it from there,
            // so the answer names the server and the keys it waits for.
            checks.Add(await CheckAsync("keyRing", async () =>
            {
                var ring = node.LoadedKeyRing ?? await node.GetKeyRingAsync(ct);
                return $"{ring.KeyIds.Count} data keys in memory (active key {ring.Current.Id})";
            }));
        }
        else
        {
            checks.Add(new HealthCheck("keyRing", false, null, "Not checked: the database is not reachable."));
        }

        var waiting = checks.Where(c => !c.Ok).Select(c => c.Name).ToList();
        var logger = loggers.CreateLogger("SsoVault.Server.Health");
        foreach (var check in checks.Where(c => !c.Ok && c.Code is not null))
        {
            logger.NotReady(check.Name, check.Code!);
        }

        var report = new ReadinessReport(waiting.Count == 0 ? "ready" : "waiting", node.Name, checks, waiting);
        return waiting.Count == 0
            ? TypedResults.Ok(report)
            : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<HealthCheck> CheckAsync(string name, Func<Task<string>> check)
    {
        try
        {
            return new HealthCheck(name, true, null, await check());
        }
        catch (SsoException e)
        {
            return new HealthCheck(name, false, e.Code.ToString(), e.Hint is null ? e.Message : $"{e.Message} {e.Hint}");
        }
    }
}
