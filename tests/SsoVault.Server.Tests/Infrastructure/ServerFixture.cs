using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SsoVault.Core.Backup;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;
using SsoVault.Server.Hosting;
using SsoVault.Storage.Sqlite;

namespace SsoVault.Server.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "SSO server on an initialized node";
}

/// <summary>
/// One SSO system (initialized once: a backup costs PBKDF2 time) served in process through the real pipeline, with an
/// SSO administrator, an account without any role, and their API keys. A second node joined to the same database holds
/// no master secret, to test readiness.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string Admin = @"CORP\admin";
    public const string NoRole = @"CORP\alice";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "ssovault-server-tests", Guid.NewGuid().ToString("N"));
    private readonly List<WebApplication> _apps = [];

    public NodeHome Home { get; private set; } = null!;

    public NodeHome JoinedHome { get; private set; } = null!;

    public string AdminKey { get; private set; } = "";

    public string NoRoleKey { get; private set; } = "";

    public string RevokedKey { get; private set; } = "";

    public HttpClient Anonymous { get; private set; } = null!;

    public HttpClient AsAdmin { get; private set; } = null!;

    public HttpClient AsNoRole { get; private set; } = null!;

    public HttpClient JoinedNode { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Home = new NodeHome(Path.Combine(_root, "node1"));
        JoinedHome = new NodeHome(Path.Combine(_root, "node2"));
        var databases = new SqliteDatabaseProvider();
        using (var password = BackupPassword.From("correct horse battery"))
        {
            await SystemSetup.InitializeAsync(Home, "node1", null, Path.Combine(_root, "first.bak"), "reminder", password, databases,
                TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        }

        await SystemSetup.JoinAsync(JoinedHome, "node2", Home.DefaultDatabasePath, databases, TimeProvider.System, NullLogger.Instance,
            CancellationToken.None);

        await using (var node = await SsoNode.OpenAsync(Home, databases, TimeProvider.System, NullLogger.Instance, CancellationToken.None))
        {
            var op = Caller.LocalOperator;
            await IdentityService.AddAccountAsync(node, op, Admin, AccountKind.User, CancellationToken.None);
            await IdentityService.AddMemberAsync(node, op, @"SSO\SSO Administrators", Admin, CancellationToken.None);
            await IdentityService.AddAccountAsync(node, op, NoRole, AccountKind.User, CancellationToken.None);
            AdminKey = (await IdentityService.CreateApiKeyAsync(node, op, Admin, "tests", CancellationToken.None)).Token;
            NoRoleKey = (await IdentityService.CreateApiKeyAsync(node, op, NoRole, "tests", CancellationToken.None)).Token;
            var revoked = await IdentityService.CreateApiKeyAsync(node, op, Admin, "revoked", CancellationToken.None);
            await IdentityService.RevokeApiKeyAsync(node, op, revoked.Id, CancellationToken.None);
            RevokedKey = revoked.Token;
        }

        var server = await StartAsync(Home, databases);
        Anonymous = server.CreateClient();
        AsAdmin = WithKey(server.CreateClient(), AdminKey);
        AsNoRole = WithKey(server.CreateClient(), NoRoleKey);
        JoinedNode = (await StartAsync(JoinedHome, databases)).CreateClient();
    }

    public HttpClient ClientWithKey(string key) => WithKey(NewHttpClient(), key);

    /// <summary>An HttpClient to the first node's server with no key (for <see cref="Client.SsoVaultClient"/>, which sends its own).</summary>
    public HttpClient NewHttpClient() => _apps[0].GetTestServer().CreateClient();

    /// <summary>An HttpClient with a key to the second node's server: another node on the same database, with its own caches.</summary>
    public HttpClient JoinedNodeWithKey(string key) => WithKey(_apps[1].GetTestServer().CreateClient(), key);

    /// <summary>The first node's server's own node (its caches), as its requests see it.</summary>
    internal Task<SsoNode> ServerNodeAsync() => _apps[0].Services.GetRequiredService<SharedNode>().GetAsync(CancellationToken.None);

    /// <summary>The node opened apart from both servers, as the CLI on a node would: its changes reach the servers only through the database.</summary>
    public Task<SsoNode> OpenNodeAsync() =>
        SsoNode.OpenAsync(Home, new SqliteDatabaseProvider(), TimeProvider.System, NullLogger.Instance, CancellationToken.None);

    public async Task<int> AuditCountAsync()
    {
        await using var node = await SsoNode.OpenAsync(Home, new SqliteDatabaseProvider(), TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        await using var transaction = await node.Database.BeginAsync(CancellationToken.None);
        return (await transaction.Audit.ListRecentAsync(100_000, CancellationToken.None)).Count;
    }

    private async Task<TestServer> StartAsync(NodeHome home, ISsoDatabaseProvider databases)
    {
        var builder = SsoVaultServerHost.CreateBuilder(home, databases,
            new SsoVaultServerOptions { Urls = ["http://127.0.0.1:0"], AllowHttp = true }, tls: null);
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var app = SsoVaultServerHost.Build(builder);
        await app.StartAsync();
        _apps.Add(app);
        return app.GetTestServer();
    }

    private static HttpClient WithKey(HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // The temp cleaner takes what a slow close left behind.
        }
    }
}
