using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SsoVault.Core.MasterSecrets;
using SsoVault.Server.Authentication;

namespace SsoVault.Server.Endpoints;

/// <summary>
/// <c>GET /metrics</c> in Prometheus' text format: the master secret's age, every data key's values and encryptions,
/// the re-encryption job's progress, and the credential cache's size. Counts only — no names, ids of people or values —
/// so it needs no API key, like the health endpoints.
/// </summary>
internal static class MetricsEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/metrics", (Delegate)WriteAsync).WithTags("Health").WithSummary("Prometheus metrics: key ring, re-encryption progress, cache.");

    private static async Task<IResult> WriteAsync(HttpContext http)
    {
        var node = await http.NodeAsync();
        var status = await SecretStatusReport.GetAsync(node, http.RequestAborted);
        var text = new StringBuilder();
        Gauge(text, "ssovault_master_secret_age_days", "Age of the current master secret.", status.Current?.AgeDays ?? 0);
        Gauge(text, "ssovault_master_secret_backed_up", "1 when the newest backup covers the current master secret.", status.CurrentSecretBackedUp ? 1 : 0);
        Header(text, "ssovault_data_key_values", "Values encrypted under each data key.");
        foreach (var key in status.DataKeys)
        {
            text.Append(CultureInfo.InvariantCulture, $"ssovault_data_key_values{{key=\"{key.Id}\",state=\"{key.State.ToString().ToLowerInvariant()}\"}} {key.Values}\n");
        }

        Header(text, "ssovault_data_key_encryptions", "Encryptions made under each data key (rotate before 2^32).");
        foreach (var key in status.DataKeys)
        {
            text.Append(CultureInfo.InvariantCulture, $"ssovault_data_key_encryptions{{key=\"{key.Id}\"}} {key.Encryptions}\n");
        }

        if (status.Reencryption is { } job)
        {
            Gauge(text, "ssovault_reencryption_processed", "Values the latest re-encryption job has moved.", job.Processed);
            Gauge(text, "ssovault_reencryption_remaining", "Values not yet under the job's target key.", job.Remaining);
            Gauge(text, "ssovault_reencryption_skipped", "Values that could not be decrypted.", job.Skipped);
            Gauge(text, "ssovault_reencryption_finished", "1 when the latest job has finished.", job.Finished ? 1 : 0);
        }

        Gauge(text, "ssovault_credential_cache_entries", "Lookups cached on this node.", node.CredentialCache.Count);
        return Results.Text(text.ToString(), "text/plain; version=0.0.4; charset=utf-8");
    }

    private static void Header(StringBuilder text, string name, string help) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n");

    private static void Gauge(StringBuilder text, string name, string help, long value)
    {
        Header(text, name, help);
        text.Append(CultureInfo.InvariantCulture, $"{name} {value}\n");
    }
}
