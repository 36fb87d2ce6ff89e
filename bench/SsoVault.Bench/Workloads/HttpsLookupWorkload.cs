using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using SsoVault.Bench.Fixtures;
using SsoVault.Bench.Http;
using SsoVault.Bench.Measurement;
using SsoVault.Bench.Report;
using SsoVault.Core.Applications;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Server.Hosting;
using SsoVault.Storage.Sqlite;

namespace SsoVault.Bench.Workloads;

/// <summary>
/// GetCredentials over HTTPS: the real server (<see cref="SsoVaultServerHost"/>, the node's own certificate from
/// <see cref="ServerTls.Resolve"/>) in the bench process on https://127.0.0.1:0, driven by <see cref="HttpLoad"/> with 64
/// connections, each request with the API key of one of many users; against a bare Kestrel HTTPS endpoint in the same
/// process, with the same certificate, returning the same bytes per key, driven by the same generator. Sub-measurements:
/// the same lookups with <c>?refresh=true</c> (cache off), plain HTTP to both servers (what TLS costs), the server's
/// <c>/v1/health/live</c> (its pipeline without authentication or database), and in process, one thread, the two
/// service calls a lookup request makes: <c>IdentityService.AuthenticateAsync</c> (through the node's key cache, as the
/// server calls it, and without it) and the cached lookup.
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
                var live = new Uri(https, "/v1/health/live");
                var liveBody = await load.GetAsync(live, callers[0].Token, cancellationToken);
                var liveCallers = callers.Select(c => (c.Token, liveBody)).ToList();
                Sampler.Sample Run(Uri uri, IReadOnlyList<(string, byte[])>? expected = null) => () =>
                    load.RunAsync(uri, expected ?? callers, settings.HttpTimePerRepetition, settings.MaxOperationsPerRepetition, cancellationToken);

                // The services a lookup request calls, in process on a node of its own over the same folder.
                await using var node = await SsoNode.OpenAsync(home, new SqliteDatabaseProvider(), TimeProvider.System,
                    Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, cancellationToken);
                var resolved = new List<(int User, Caller Caller)>();
                foreach (var (user, token) in fixture.Keys)
                {
                    resolved.Add((user, await IdentityService.AuthenticateAsync(node.Database, token, cancellationToken)));
                }

                // As the server authenticates (through the node's cache of authenticated keys), and without that cache.
                var nextKey = 0;
                var authenticate = Sampler.ThroughputAsync(settings, async () =>
                    Sampler.Consume((await IdentityService.AuthenticateAsync(node, fixture.Keys[nextKey++ % fixture.Keys.Count].Token, cancellationToken)).Memberships.Count));
                var nextUncachedKey = 0;
                var authenticateUncached = Sampler.ThroughputAsync(settings, async () =>
                    Sampler.Consume((await IdentityService.AuthenticateAsync(node.Database, fixture.Keys[nextUncachedKey++ % fixture.Keys.Count].Token, cancellationToken)).Memberships.Count));
                var nextCaller = 0;
                var lookup = Sampler.ThroughputAsync(settings, async () =>
                {
                    var (user, caller) = resolved[nextCaller++ % resolved.Count];
                    CredentialStore.Check(user, await CredentialService.LookupAsync(node, caller, CredentialStore.Application, cancellationToken));
                });

                var stats = await Sampler.InterleavedAsync(settings, cancellationToken, Run(https), Run(bareHttpsUri), Run(refresh), Run(http), Run(bareHttpUri),
                    Run(live, liveCallers), authenticate, lookup, authenticateUncached);
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
                results.Details.Add(new BenchDetail("the server's `GET /v1/health/live` over HTTPS, same generator (no authentication, no database)", "requests/s", stats[5],
                    "the server's pipeline (exception handler, status pages, routing, JSON) beside the bare endpoint"));
                results.Details.Add(new BenchDetail("`IdentityService.AuthenticateAsync(node, …)` for the same API keys, in process, one thread (as the server does: the node's cache of authenticated keys, warm)", "calls/s", stats[6],
                    "what every request pays before the lookup: the system's change epoch read (one statement, no transaction), the key's hash compared"));
                results.Details.Add(new BenchDetail("the same without the cache (`AuthenticateAsync(database, …)`)", "calls/s", stats[8],
                    "a read transaction, the key and the caller's memberships read every time (the server before its key cache)"));
                results.Details.Add(new BenchDetail("`CredentialService.LookupAsync` (cache on) for the same callers, in process, one thread", "lookups/s", stats[7],
                    "the lookup itself, without HTTP"));
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
