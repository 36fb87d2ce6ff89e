using System.Diagnostics;
using System.Net;
using System.Net.Security;
using SsoVault.Cli.Tests.Infrastructure;

namespace SsoVault.Cli.Tests;

/// <summary>
/// The README's multi-node quickstart, './cluster up', run as written: PostgreSQL, a master secret server and two SSO
/// servers on 127.0.0.1, in a temp folder (CLUSTER_DIR) on free ports so it collides with neither parallel tests nor a
/// user's own cluster. A value written through one SSO server is read through the other; then './cluster down' stops
/// everything. Whatever happens, the servers and PostgreSQL are stopped at the end ('./cluster destroy', then the
/// recorded server pids).
/// </summary>
public sealed class ClusterScriptTests : IAsyncLifetime
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);
    private static readonly string[] Nodes = ["mss", "sso1", "sso2"];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ssovault-cluster", Guid.NewGuid().ToString("N")[..12]);
    private readonly List<string> _printed = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        try
        {
            await RunScriptAsync("destroy");
        }
        finally
        {
            foreach (var node in Nodes)
            {
                KillRecordedServer(Path.Combine(_dir, node, "serve.pid"));
            }

            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, recursive: true);
            }
        }
    }

    [Fact]
    public async Task ClusterUp_ThreeServersReady_ValueWrittenThroughOneIsReadThroughAnother()
    {
        // Act: up (twice: the second says so and changes nothing).
        var up = await RunScriptAsync("up");
        Assert.True(up.ExitCode == 0, up.Output);
        var again = await RunScriptAsync("up");
        Assert.True(again.ExitCode == 0, again.Output);
        var status = await RunScriptAsync("status");

        // Assert: every server is ready over its pinned certificate, and the nodes are what up said.
        Assert.Contains("already up", again.Output);
        Assert.True(status.ExitCode == 0, status.Output);
        var servers = Nodes.ToDictionary(n => n, n => (
            Url: File.ReadAllText(Path.Combine(_dir, n, "serve.url")).Trim(),
            Fingerprint: File.ReadAllText(Path.Combine(_dir, n, "tls", "server.sha256")).Trim()));
        foreach (var (node, (url, fingerprint)) in servers)
        {
            Assert.StartsWith("https://127.0.0.1:", url);
            Assert.Contains(url, up.Output);
            Assert.Contains(fingerprint, up.Output);
            using var http = new HttpClient(new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Client.CertificatePinning.Validator(fingerprint) },
            });
            using var ready = await http.GetAsync(new Uri($"{url}/v1/health/ready"));
            Assert.True(ready.StatusCode == HttpStatusCode.OK, $"{node}: {await ready.Content.ReadAsStringAsync()}");
        }

        var nodes = await CliAsync("--home", Path.Combine(_dir, "sso1"), "node", "list");
        Assert.Matches(@"sso1\s+approved", nodes.Stdout);
        Assert.Matches(@"sso2\s+approved", nodes.Stdout);
        Assert.Matches(@"mss\s+approved.*\[secret server\]", nodes.Stdout);

        // Act: write through sso1's HTTP API with the administrator's key, read through sso2's, and the other way round.
        await RemoteOkAsync(servers["sso1"], "config", "set", "ClusterApp", "ConfigProperties", "endpoint=https://erp.example.com", "user=svc-erp");
        var read = await RemoteOkAsync(servers["sso2"], "config", "get", "ClusterApp", "ConfigProperties", "--runtime");
        await RemoteOkAsync(servers["sso2"], "config", "set", "ClusterApp", "ConfigProperties", "user=svc-erp2");
        var readBack = await RemoteOkAsync(servers["sso1"], "config", "get", "ClusterApp", "ConfigProperties", "--runtime");

        // Assert
        Assert.Contains("endpoint = https://erp.example.com", read.Stdout);
        Assert.Contains("user = svc-erp", read.Stdout);
        Assert.Contains("user = svc-erp2", readBack.Stdout);

        // Act: down.
        var pids = Nodes.Select(n => int.Parse(File.ReadAllText(Path.Combine(_dir, n, "serve.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var down = await RunScriptAsync("down");
        var afterDown = await RunScriptAsync("status");

        // Assert: every server process is gone, PostgreSQL is stopped, the folder is kept.
        Assert.True(down.ExitCode == 0, down.Output);
        Assert.All(pids, pid => Assert.False(IsRunning(pid), $"server pid {pid} still runs after down\n{down.Output}"));
        Assert.NotEqual(0, afterDown.ExitCode);
        Assert.Contains("PostgreSQL: stopped", afterDown.Output);
        Assert.True(File.Exists(Path.Combine(_dir, "backups", "first.bak")));

        // No password was ever printed: the script and the CLI only say where the files are.
        foreach (var secretFile in new[] { "postgres.password", "backup.password" })
        {
            var secret = File.ReadAllText(Path.Combine(_dir, secretFile)).Trim();
            Assert.True(secret.Length >= 20, secretFile);
            Assert.All(_printed, printed => Assert.DoesNotContain(secret, printed, StringComparison.Ordinal));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, secretFile)));
        }
    }

    private Task<CliRun> CliAsync(params string[] arguments) => RecordAsync(SsoVaultProcess.RunAsync(new Dictionary<string, string?>(), _dir, null, arguments));

    private async Task<CliRun> RemoteOkAsync((string Url, string Fingerprint) server, params string[] arguments)
    {
        var run = await CliAsync(["--server", server.Url, "--api-key-file", Path.Combine(_dir, "admin.key"), "--server-fingerprint", server.Fingerprint, .. arguments]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    private async Task<CliRun> RecordAsync(Task<CliRun> running)
    {
        var run = await running;
        _printed.Add(run.Stdout + run.Stderr);
        return run;
    }

    /// <summary>Runs './cluster VERB' from the repository root with the test's folder, free ports and the CLI built beside the tests.</summary>
    private async Task<(int ExitCode, string Output)> RunScriptAsync(string verb)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(ReadmeScript.RepositoryRoot(), "cluster"), verb])
        {
            WorkingDirectory = ReadmeScript.RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["CLUSTER_DIR"] = _dir;
        start.Environment["CLUSTER_PORTS"] = "0 0 0";
        start.Environment["CLUSTER_POLL"] = "2";
        start.Environment["CLUSTER_TIMEOUT"] = "120";
        start.Environment["CLUSTER_SSOVAULT"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "ssovault.dll")}";
        foreach (var variable in new[] { "SSOVAULT_HOME", "SSOVAULT_API_KEY", "SSOVAULT_SERVER_FINGERPRINT", "SSOVAULT_CRASH_AT", "SSOVAULT_BACKUP_PASSWORD", "CLUSTER_PG_PORT" })
        {
            start.Environment.Remove(variable);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"./cluster {verb} did not finish within {ScriptTimeout}.");
        }

        var output = $"./cluster {verb} -> exit {process.ExitCode}\n{await stdout}\n--- stderr ---\n{await stderr}";
        _printed.Add(output);
        return (process.ExitCode, output);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void KillRecordedServer(string pidFile)
    {
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) && pid > 1 && IsRunning(pid))
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(30));
        }
    }
}
