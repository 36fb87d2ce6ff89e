using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using SsoVault.Bench.Fixtures;
using SsoVault.Bench.Http;
using SsoVault.Bench.Measurement;
using SsoVault.Bench.Report;
using SsoVault.Core.Nodes;
using SsoVault.Server.Hosting;
using SsoVault.Storage.Sqlite;

namespace SsoVault.Bench.Workloads;

/// <summary>
/// GetCredentials over HTTPS: the real server (<see cref="SsoVaultServerHost"/>, the node's own certificate from
/// <see cref="ServerTls.Resolve"/>) in the bench process on https://127.0.0.1:0, driven by <see cref="HttpLoad"/> with 64
/// connections, each request with the API key of one of many users; against a bare Kestrel HTTPS endpoint in the same
/// process, with the same certificate, returning the same bytes per key, driven by the same generator. Sub-measurements:
/// the same lookups with <c>?refresh=true</c> (cache off), and plain HTTP to both servers (what TLS costs).
/// </summary>
internal static class HttpsLookupWorkload
{
    public const int Connections = 64;

    public static async Task RunAsync(RunSettings settings, string workFolder, BenchResults results, CancellationToken cancellationToken)
    {
        var fixture = await ServerNode.CreateAsync(Path.Combine(workFolder, "https"), settings.CredentialMappings, settings.ApiKeyCallers, cancellationToken);
        var home = new NodeHome(fixture.Home);
        var tls = ServerTls.Resolve(home, null, null, TimeProvider.System);
        var builder = SsoVaultServerHost.CreateBuilder(home, new SqliteDatabaseProvider(),
            new SsoVaultServerOptions { Urls = ["https://127.0.0.1:0", "http://127.0.0.1:0"], AllowHttp = true }, tls);
        builder.Logging.ClearProviders();
        await using var server = SsoVaultServerHost.Build(builder);
        await server.StartAsync(cancellationToken);
        try
        {
            var addresses = SsoVaultServerHost.Addresses(server);
            var https = new Uri(new Uri(addresses.Single(a => a.StartsWith("https:", StringComparison.Ordinal)) + "/"), ServerNode.LookupPath);
            var http = new Uri(new Uri(addresses.Single(a => a.StartsWith("http:", StringComparison.Ordinal)) + "/"), ServerNode.LookupPath);
            using var load = new HttpLoad(Connections, tls.Certificate);

            // The expected answer per key, from the server itself, checked against the values stored.
            var callers = new List<(string Token, byte[] Body)>(fixture.Keys.Count);
            foreach (var (user, token) in fixture.Keys)
            {
                var body = await load.GetAsync(https, token, cancellationToken);
                ServerNode.Check(user, body);
                callers.Add((token, body));
            }

            var answers = callers.ToDictionary(c => c.Token, c => c.Body, StringComparer.Ordinal);
            await using var bareHttps = BareServer.Build(0, tls.Certificate, answers);
            await bareHttps.StartAsync(cancellationToken);
            await using var bareHttp = BareServer.Build(0, null, answers);
            await bareHttp.StartAsync(cancellationToken);
            try
            {
                var bareHttpsUri = new Uri(BareServer.Address(bareHttps), ServerNode.LookupPath);
                var bareHttpUri = new Uri(BareServer.Address(bareHttp), ServerNode.LookupPath);
                var refresh = new Uri(https + "?refresh=true");
                Sampler.Sample Run(Uri uri) => () => load.RunAsync(uri, callers, settings.HttpTimePerRepetition, settings.MaxOperationsPerRepetition, cancellationToken);

                var stats = await Sampler.InterleavedAsync(settings, cancellationToken, Run(https), Run(bareHttpsUri), Run(refresh), Run(http), Run(bareHttpUri));
                results.Rows.Add(BenchRow.Measured(
                    $"credential lookup over HTTPS, {Connections} connections (`GET /v1/apps/{{app}}/credentials`, the server in process, {fixture.Keys.Count:N0} API keys of users spread over {fixture.Store.Users:N0} mappings, cache on)",
                    "requests/s", stats[0], $"a bare Kestrel HTTPS endpoint in the same process, same certificate, returning the same bytes per key, same C# generator ({Connections} HTTP/1.1 connections)",
                    stats[1], Goal.Min(0.5)));
                results.Details.Add(new BenchDetail("the same HTTPS lookups with `?refresh=true` (cache off)", "requests/s", stats[2],
                    "the server's own work per request without the answer cache"));
                results.Details.Add(new BenchDetail("the same lookups over plain HTTP (the same server, `AllowHttp`)", "requests/s", stats[3],
                    "ours without TLS: the server's own cost beside the transport's"));
                results.Details.Add(new BenchDetail("the bare endpoint over plain HTTP", "requests/s", stats[4],
                    "the limit without TLS: what TLS costs the generator and Kestrel on these 2 cores"));
            }
            finally
            {
                await bareHttp.StopAsync(CancellationToken.None);
                await bareHttps.StopAsync(CancellationToken.None);
            }
        }
        finally
        {
            await server.StopAsync(CancellationToken.None);
        }
    }
}
