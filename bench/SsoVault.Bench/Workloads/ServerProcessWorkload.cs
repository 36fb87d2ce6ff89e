using System.Diagnostics;
using SsoVault.Bench.Fixtures;
using SsoVault.Bench.Http;
using SsoVault.Bench.Measurement;
using SsoVault.Bench.Report;

namespace SsoVault.Bench.Workloads;

/// <summary>
/// The rows that need the server as its own process (<c>dotnet ssovault.dll serve --http</c>, the CLI built beside the
/// bench), on one node holding <see cref="RunSettings.MemoryMappings"/> × 2 credential values:
/// start to ready (process start until <c>GET /v1/health/ready</c> answers 200) against the minimal ASP.NET Core app
/// (<c>ssovault-bench --minimal-server</c>) until its first answer; and the server's peak resident memory (VmHWM) under
/// 64 connections of lookups for a bounded time, with the minimal app's peak under the same load beside it.
/// </summary>
internal static class ServerProcessWorkload
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(RunSettings settings, string workFolder, BenchResults results, CancellationToken cancellationToken)
    {
        var loadWatch = Stopwatch.StartNew();
        var fixture = await ServerNode.CreateAsync(Path.Combine(workFolder, "server"), settings.MemoryMappings, settings.ApiKeyCallers, cancellationToken);
        var loaded = loadWatch.Elapsed.TotalSeconds;

        // Start to ready, interleaved: ours, then the minimal app, start after start. Each start of ours also records
        // when the process first answered at all (/v1/health/live), and a CLI run that does nothing is timed beside them.
        var liveTimes = new List<double>();
        var listeningTimes = new List<double>();
        var serve = Sampler.Duration(async () =>
        {
            await using var server = ChildProcess.StartServe(fixture.Home);
            liveTimes.Add(await server.WaitUntilAnswersAsync("v1/health/live", StartTimeout, cancellationToken));
            await server.WaitUntilAnswersAsync("v1/health/ready", StartTimeout, cancellationToken);
            listeningTimes.Add(server.ListeningAfter ?? double.NaN);
        });
        var version = Sampler.Duration(() => ChildProcess.RunToExitAsync([ChildProcess.CliPath, "--version"], cancellationToken));
        var minimal = Sampler.Duration(async () =>
        {
            await using var server = ChildProcess.StartMinimal(null);
            await server.WaitUntilAnswersAsync("v1/health/ready", StartTimeout, cancellationToken);
        });
        var starts = await Sampler.InterleavedAsync(settings, cancellationToken, serve, minimal, version);
        results.Rows.Add(BenchRow.Measured(
            "SSO server start to ready (`dotnet ssovault.dll serve --http --urls http://127.0.0.1:PORT` until `GET /v1/health/ready` answers 200)",
            "s", starts[0], "a minimal ASP.NET Core app (slim builder, one route, `dotnet ssovault-bench.dll --minimal-server PORT`) until its first answer",
            starts[1], Goal.Max(2.0)));
        results.Details.Add(new BenchDetail("`ssovault serve` start until it printed `Listening on` (host built and started)", "s",
            Stats.Of(listeningTimes.Skip(settings.Warmups).ToList()), "the CLI, the host's services and Kestrel started; no request served yet"));
        results.Details.Add(new BenchDetail("`ssovault serve` start until its first answer (`/v1/health/live`, before ready)", "s",
            Stats.Of(liveTimes.Skip(settings.Warmups).ToList()), "minus the line above: the first request (the endpoint table built, every minimal-API handler compiled); ready minus this is the readiness check"));
        results.Details.Add(new BenchDetail("`dotnet ssovault.dll --version`, start to exit", "s", starts[2],
            "the CLI's own start (runtime, System.CommandLine, assembly loading) before `serve` does anything"));

        // Peak memory under load: each repetition a fresh process, ready, then the lookup load for a bounded time.
        var callers = new List<(string Token, byte[] Body)>();
        var answersFile = Path.Combine(workFolder, "answers.txt");
        var ready = new List<double>();
        var repetitions = Math.Min(settings.Repetitions, 3);
        var ours = new List<double>();
        var theirs = new List<double>();
        var ourRate = new List<double>();
        using var load = new HttpLoad(HttpsLookupWorkload.Connections, null);
        for (var i = 0; i < repetitions; i++)
        {
            await using (var server = ChildProcess.StartServe(fixture.Home))
            {
                await server.WaitUntilAnswersAsync("v1/health/ready", StartTimeout, cancellationToken);
                var uri = new Uri(server.BaseUri, ServerNode.LookupPath);
                if (callers.Count == 0)
                {
                    foreach (var (user, token) in fixture.Keys)
                    {
                        var body = await load.GetAsync(uri, token, cancellationToken);
                        ServerNode.Check(user, body);
                        callers.Add((token, body));
                    }

                    ServerNode.WriteAnswers(answersFile, callers);
                }

                ready.Add(server.StatusMegabytes("VmHWM"));
                ourRate.Add(await load.RunAsync(uri, callers, settings.MemoryLoadTime, long.MaxValue, cancellationToken));
                ours.Add(server.StatusMegabytes("VmHWM"));
            }

            await using (var bare = ChildProcess.StartMinimal(answersFile))
            {
                await bare.WaitUntilAnswersAsync("v1/health/ready", StartTimeout, cancellationToken);
                await load.RunAsync(new Uri(bare.BaseUri, ServerNode.LookupPath), callers, settings.MemoryLoadTime, long.MaxValue, cancellationToken);
                theirs.Add(bare.StatusMegabytes("VmHWM"));
            }
        }

        var values = fixture.Store.Values;
        results.Rows.Add(new BenchRow(
            $"peak memory of a server under lookup load on {values:N0} credentials ({fixture.Store.Users:N0} mappings × 2; the `ssovault serve` process, VmHWM after {settings.MemoryLoadTime.TotalSeconds:0.#} s of {HttpsLookupWorkload.Connections} connections of lookups, {fixture.Keys.Count:N0} API keys)"
            + (values < 1_000_000 ? $" — **fewer than the issue's 1,000,000 values** (this run's size)" : ""),
            "MB", "— (absolute goal); beside it, the minimal ASP.NET Core app under the same load", Goal.Max(300))
        {
            Ours = Stats.Of(ours),
            Limit = Stats.Of(theirs),
            Absolute = true,
        });
        results.Details.Add(new BenchDetail("the server's peak resident memory when ready, before any lookup", "MB", Stats.Of(ready),
            "the runtime, ASP.NET Core and the node opened: what the load adds is the difference"));
        results.Details.Add(new BenchDetail("lookups/s the server answered meanwhile (plain HTTP, cache on)", "requests/s", Stats.Of(ourRate),
            "the load the memory figure was taken under"));
        results.Details.Add(new BenchDetail($"building the node for these rows ({values:N0} values, API keys, checks)", "s", Stats.Of([loaded]),
            "fixture time, not measured work: how long a bigger store would take to build here"));
    }
}
