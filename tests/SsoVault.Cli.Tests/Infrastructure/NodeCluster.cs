using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using SsoVault.Client;
using SsoVault.Core.Tests.TestSupport;

namespace SsoVault.Cli.Tests.Infrastructure;

/// <summary>
/// Several real nodes on one real PostgreSQL database: 'mss' is created as the master secret server, the others join
/// and are approved; each can run a real 'ssovault serve' on 127.0.0.1 (port 0) that polls every second. An SSO
/// administrator's API key (admin.key) lets tests read and write through any server.
/// </summary>
public sealed class NodeCluster : IAsyncDisposable
{
    private readonly Dictionary<string, ServeProcess> _servers = new(StringComparer.OrdinalIgnoreCase);

    private NodeCluster(TestWorkspace workspace, string location)
    {
        Workspace = workspace;
        Location = location;
    }

    public TestWorkspace Workspace { get; }

    /// <summary>The test database's connection string (with its password: never passed on a command line).</summary>
    public string Location { get; }

    public string AdminKeyFile => Workspace.PathOf("admin.key");

    public string ApiKey => File.ReadAllText(AdminKeyFile).Trim();

    public static async Task<NodeCluster> CreateAsync(params string[] joiners)
    {
        var workspace = new TestWorkspace();
        var location = await PostgresTestServer.CreateDatabaseAsync(CancellationToken.None);
        var cluster = new NodeCluster(workspace, location);
        try
        {
            var url = UrlOf(location);
            await workspace.OkAsync("mss", "init", "--db", url, "--backup", workspace.PathOf("b0.bak"), "--password-file", workspace.PasswordFile,
                "--reminder", "test reminder", "--node-name", "mss");
            foreach (var name in joiners)
            {
                var joined = await workspace.OkAsync(name, "init", "--join", "--db", url, "--node-name", name, "--json");
                var thumbprint = joined.Json.GetProperty("thumbprint").GetString()!;
                await workspace.OkAsync("mss", "node", "approve", name, "--thumbprint", thumbprint);
            }

            await workspace.OkAsync("mss", "account", "add", @"CORP\admin");
            await workspace.OkAsync("mss", "group", "add-member", @"SSO\SSO Administrators", @"CORP\admin");
            await workspace.OkAsync("mss", "apikey", "create", @"CORP\admin", "--output", cluster.AdminKeyFile);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The database as an operator types it: postgres://user:password@host:port/db.</summary>
    public static string UrlOf(string location)
    {
        var builder = new NpgsqlConnectionStringBuilder(location);
        return $"postgres://{Uri.EscapeDataString(builder.Username!)}:{Uri.EscapeDataString(builder.Password!)}@{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public ServeProcess Server(string node) => _servers[node];

    /// <summary>Starts the node's server and waits until it listens (not until it is ready: a node may be waiting on purpose).</summary>
    public async Task<ServeProcess> StartAsync(string node)
    {
        await StopAsync(node);
        var server = await ServeProcess.StartAsync(Workspace.HomeOf(node), "--urls", "https://127.0.0.1:0", "--poll-interval", "1");
        _servers[node] = server;
        return server;
    }

    public async Task<ServeProcess> StartReadyAsync(string node)
    {
        var server = await StartAsync(node);
        using var client = ClientOf(node);
        await WaitUntilAsync(async () => (await client.GetReadinessAsync()).Status == "ready", TimeSpan.FromSeconds(60), $"{node} ready\n{server.Output}");
        return server;
    }

    /// <summary>Starts the nodes' servers one after another (the secret server first, so the others find it), each ready.</summary>
    public async Task StartAllReadyAsync(params string[] nodes)
    {
        foreach (var node in nodes)
        {
            await StartReadyAsync(node);
        }
    }

    /// <summary>Kills the node's server (SIGKILL: no clean shutdown), if it runs.</summary>
    public async Task StopAsync(string node)
    {
        if (_servers.Remove(node, out var server))
        {
            await server.DisposeAsync();
        }
    }

    public SsoVaultClient ClientOf(string node)
    {
        var server = _servers[node];
        return new SsoVaultClient(new Uri(server.Url), ApiKey, server.Fingerprint);
    }

    public async Task<long> ScalarAsync(string sql) => Convert.ToInt64(await PostgresTestServer.ScalarAsync(Location, sql, CancellationToken.None),
        System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Polls a condition every 200 ms until it holds, or fails after the timeout (every wait bounded).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is SsoVaultException or HttpRequestException && watch.Elapsed < timeout)
            {
                // Not there yet.
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:F0} s for: {what}");
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers.Values)
        {
            await server.DisposeAsync();
        }

        _servers.Clear();
        NpgsqlConnection.ClearAllPools();
        await PostgresTestServer.DropDatabaseAsync(Location, CancellationToken.None);
        Workspace.Dispose();
    }
}

/// <summary>
/// Readers that keep looking values up through several servers until stopped (bounded in time and count), recording
/// every failure with its reason.
/// </summary>
public sealed class LookupLoad : IAsyncDisposable
{
    private const int MaxLookups = 200_000;
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(4));
    private readonly List<Task> _readers = [];
    private int _lookups;

    public ConcurrentQueue<string> Failures { get; } = new();

    public int Lookups => Volatile.Read(ref _lookups);

    public void Start(SsoVaultClient client, string app, string identifier, string property, string expected)
    {
        _readers.Add(Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested && Interlocked.Increment(ref _lookups) < MaxLookups)
            {
                try
                {
                    var record = await client.GetConfigInfoAsync(app, identifier, runtime: true, _stop.Token);
                    var value = record.Properties.Single(p => p.Name == property).Value;
                    if (value != expected)
                    {
                        Failures.Enqueue($"read '{value}', expected '{expected}'");
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is SsoVaultException or HttpRequestException)
                {
                    Failures.Enqueue(e.Message);
                }

                await Task.Delay(5);
            }
        }));
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_readers);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
