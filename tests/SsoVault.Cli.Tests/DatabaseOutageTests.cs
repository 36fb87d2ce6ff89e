using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql;
using SsoVault.Cli.Tests.Infrastructure;
using SsoVault.Core.Tests.TestSupport;

namespace SsoVault.Cli.Tests;

/// <summary>
/// A real 'ssovault serve' whose PostgreSQL connection goes through a <see cref="TcpForwarder"/> on 127.0.0.1, so the
/// database can "go down" (connections reset and refused, or accepted and never answered) without touching the shared
/// test cluster. While it is down every request answers 503 DatabaseUnavailable within a bounded time; once it is back
/// the same server process answers again, from its very first request.
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    /// <summary>
    /// The longest a request may take while the database is down: the default connect and command timeouts (5 s each,
    /// PostgresLocation) plus Npgsql's cancellation attempt, with room for a loaded test machine.
    /// </summary>
    private static readonly TimeSpan FailWithin = TimeSpan.FromSeconds(20);
    /// <summary>Requests made during each outage (and after each recovery): bounded, and more than one, to cover the pool.</summary>
    private const int Requests = 3;

    private readonly TestWorkspace _ws = new();
    private string _location = "";
    private TcpForwarder? _forwarder;

    public async Task InitializeAsync()
    {
        _location = await PostgresTestServer.CreateDatabaseAsync(CancellationToken.None);
        var target = new NpgsqlConnectionStringBuilder(_location);
        _forwarder = TcpForwarder.Start(target.Host!, target.Port);
    }

    public async Task DisposeAsync()
    {
        if (_forwarder is not null)
        {
            await _forwarder.DisposeAsync();
        }

        if (_location.Length > 0)
        {
            await PostgresTestServer.DropDatabaseAsync(_location, CancellationToken.None);
        }

        _ws.Dispose();
    }

    [Fact]
    public async Task DatabaseOutage_ConnectionsCutAndRefused_503WithinBoundThenRecoversWithoutRestart()
    {
        // Arrange
        await using var server = await StartServerAsync();
        using var http = NewClient();
        var key = ApiKey();
        await AssertServingAsync(http, server, key);

        // Act + Assert: the database goes away (open connections reset, new ones refused).
        _forwarder!.Cut();
        await AssertUnavailableAsync(http, server, key);

        // The database returns: the same process answers again at once.
        _forwarder.Restore();
        await AssertServingAsync(http, server, key);
    }

    [Fact]
    public async Task DatabaseOutage_ConnectionsAcceptedButNeverAnswered_503WithinBoundThenRecoversWithoutRestart()
    {
        // Arrange
        await using var server = await StartServerAsync();
        using var http = NewClient();
        var key = ApiKey();
        await AssertServingAsync(http, server, key);

        // Act + Assert: the database hangs (TCP accepted, no byte answered; pooled connections stall too).
        _forwarder!.BlackHole();
        await AssertUnavailableAsync(http, server, key);

        _forwarder.Restore();
        await AssertServingAsync(http, server, key);
    }

    [Fact]
    public async Task DatabaseOutage_RestartedWhileIdle_FirstRequestAfterwardSucceeds()
    {
        // Arrange: pooled connections exist...
        await using var server = await StartServerAsync();
        using var http = NewClient();
        var key = ApiKey();
        await AssertServingAsync(http, server, key);
        Assert.True(_forwarder!.OpenConnections > 0, "the server should keep pooled connections open");

        // Act: ...and die while no request runs (a database restart), so the pool still holds them when the next comes.
        _forwarder.Cut();
        _forwarder.Restore();

        // Assert: the very first requests succeed (the dead connections are found, dropped and replaced).
        await AssertServingAsync(http, server, key);
    }

    private async Task<ServeProcess> StartServerAsync()
    {
        // The node's database location goes through the forwarder; the password stays out of argv (PGPASSWORD is not
        // needed: the test cluster's connection string carries it, as node.json would).
        var forwarded = new NpgsqlConnectionStringBuilder(_location) { Host = "127.0.0.1", Port = _forwarder!.Port }.ConnectionString;
        await _ws.OkAsync("node1", "init", "--db", forwarded, "--backup", _ws.PathOf("b0.bak"), "--password-file", _ws.PasswordFile,
            "--reminder", "test reminder", "--node-name", "node1");
        await _ws.OkAsync("node1", "account", "add", @"CORP\admin");
        await _ws.OkAsync("node1", "group", "add-member", @"SSO\SSO Administrators", @"CORP\admin");
        await _ws.OkAsync("node1", "apikey", "create", @"CORP\admin", "--output", _ws.PathOf("admin.key"));
        await _ws.OkAsync("node1", "config", "set", "ErpAdapter", "Props", "endpoint=https://erp.example.com", "user=svc-erp");

        var server = await ServeProcess.StartAsync(_ws.HomeOf("node1"), "--urls", "http://127.0.0.1:0", "--http");
        try
        {
            using var http = NewClient();
            await server.WaitReadyAsync(http);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private string ApiKey() => File.ReadAllText(_ws.PathOf("admin.key")).Trim();

    /// <summary>A hard bound on every request, well above <see cref="FailWithin"/>: no test can hang on the server.</summary>
    private static HttpClient NewClient() => new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Several runtime reads and readiness probes, each 200 from the first one on, from the same server process.</summary>
    private static async Task AssertServingAsync(HttpClient http, ServeProcess server, string key)
    {
        for (var i = 0; i < Requests; i++)
        {
            var (status, body, _) = await SendAsync(http, server, "/v1/config/ErpAdapter/Props?runtime=true", key);
            Assert.True(status == HttpStatusCode.OK, $"config read {i + 1} after recovery: {(int)status} {body}\n{server.Output}");
            Assert.Contains("https://erp.example.com", body, StringComparison.Ordinal);

            var (readyStatus, ready, _) = await SendAsync(http, server, "/v1/health/ready", null);
            Assert.True(readyStatus == HttpStatusCode.OK, $"readiness {i + 1} after recovery: {(int)readyStatus} {ready}\n{server.Output}");
        }

        Assert.False(server.HasExited, "the server must recover without a restart");
    }

    /// <summary>Several runtime reads and readiness probes while the database is down: each 503, promptly, saying why.</summary>
    private async Task AssertUnavailableAsync(HttpClient http, ServeProcess server, string key)
    {
        var display = $"postgres://{new NpgsqlConnectionStringBuilder(_location).Username}@127.0.0.1:{_forwarder!.Port}/" +
                      new NpgsqlConnectionStringBuilder(_location).Database;
        var password = new NpgsqlConnectionStringBuilder(_location).Password!;
        for (var i = 0; i < Requests; i++)
        {
            var (status, body, elapsed) = await SendAsync(http, server, "/v1/config/ErpAdapter/Props?runtime=true", key);
            Assert.True(status == HttpStatusCode.ServiceUnavailable, $"config read {i + 1} during the outage: {(int)status} {body}\n{server.Output}");
            Assert.True(elapsed < FailWithin, $"config read {i + 1} took {elapsed} (bound {FailWithin})");
            using (var problem = JsonDocument.Parse(body))
            {
                var root = problem.RootElement;
                Assert.Equal("DatabaseUnavailable", root.GetProperty("code").GetString());
                Assert.Equal("https://ssovault.dev/errors/database-unavailable", root.GetProperty("type").GetString());
                var detail = root.GetProperty("detail").GetString()!;
                Assert.Contains(display, detail, StringComparison.Ordinal);
                Assert.Contains("unreachable", detail, StringComparison.Ordinal);
                Assert.Contains("reconnects by itself", root.GetProperty("hint").GetString()!, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(password, body, StringComparison.Ordinal);

            var (readyStatus, ready, readyElapsed) = await SendAsync(http, server, "/v1/health/ready", null);
            Assert.True(readyStatus == HttpStatusCode.ServiceUnavailable, $"readiness {i + 1} during the outage: {(int)readyStatus} {ready}");
            Assert.True(readyElapsed < FailWithin, $"readiness {i + 1} took {readyElapsed} (bound {FailWithin})");
            using (var report = JsonDocument.Parse(ready))
            {
                var database = report.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "database");
                Assert.False(database.GetProperty("ok").GetBoolean());
                Assert.Equal("DatabaseUnavailable", database.GetProperty("code").GetString());
                Assert.Contains("database", report.RootElement.GetProperty("waitingFor").EnumerateArray().Select(e => e.GetString()));
            }

            Assert.DoesNotContain(password, ready, StringComparison.Ordinal);
        }

        Assert.False(server.HasExited, "an outage must not stop the server");
    }

    private static async Task<(HttpStatusCode Status, string Body, TimeSpan Elapsed)> SendAsync(HttpClient http, ServeProcess server, string path,
        string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(server.Url), path));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        var watch = Stopwatch.StartNew();
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body, watch.Elapsed);
    }
}
