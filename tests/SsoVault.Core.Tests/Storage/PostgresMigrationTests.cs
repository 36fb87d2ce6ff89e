using SsoVault.Core.Errors;
using SsoVault.Core.Storage;
using SsoVault.Core.Tests.TestSupport;
using SsoVault.Storage.Postgres;

namespace SsoVault.Core.Tests.Storage;

/// <summary>Opening PostgreSQL databases: upgrades, newer schemas, nodes migrating at once, unreachable servers.</summary>
public sealed class PostgresMigrationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));
    private string _location = "";

    private CancellationToken Ct => _timeout.Token;

    public async Task InitializeAsync() => _location = await PostgresTestServer.CreateDatabaseAsync(Ct);

    public async Task DisposeAsync()
    {
        if (_location.Length > 0)
        {
            await PostgresTestServer.DropDatabaseAsync(_location, CancellationToken.None);
        }

        _timeout.Dispose();
    }

    [Fact]
    public async Task OpenAsync_Version1DatabaseWithData_UpgradedToLatestWithDataIntact()
    {
        // Arrange: a database as the first release left it, with global info and a node.
        var info = new SystemInfo
        {
            SystemId = Guid.NewGuid(),
            SecretServer = "node1",
            CreatedUtc = T0,
            Current = new MasterSecretInfo(Guid.NewGuid(), "0123456789abcdef", T0),
        };
        await using (var old = await PostgresSsoDatabase.OpenAsync(_location, create: false, Ct, targetVersion: 1))
        {
            await old.MigrateAsync(Ct);
            Assert.Equal(1, await old.GetSchemaVersionAsync(Ct));
            await using var tx = await old.BeginAsync(Ct);
            await tx.System.InsertAsync(info, Ct);
            await tx.CommitAsync(Ct);
        }

        // Version 1's nodes table has two columns; today's repository writes more, so the old row goes in as SQL.
        await PostgresTestServer.ScalarAsync(_location, $"INSERT INTO nodes (name, joined_ms) VALUES ('node1', {T0.ToUnixTimeMilliseconds()})", Ct);
        Assert.Equal("data_keys,nodes,schema_version,system_info", await TablesAsync());

        // Act
        await using var db = await PostgresSsoDatabase.OpenAsync(_location, create: false, Ct);
        Assert.Equal(1, await db.GetSchemaVersionAsync(Ct));
        await using (var tx = await db.BeginAsync(Ct))
        {
            // Assert: upgraded on first use, old data intact, new tables and defaults usable.
            Assert.Equal(info, await tx.System.GetAsync(Ct));
            Assert.Equal(new GlobalSettings(), await tx.System.GetSettingsAsync(Ct));
            Assert.Equal([new NodeRecord("node1", T0)], await tx.Nodes.ListAsync(Ct));
            Assert.Equal(["SSO\\SSO Administrators"], await tx.System.GetRoleAccountsAsync(SystemRole.SsoAdministrators, Ct));
            await tx.Applications.AddAsync(new ApplicationRecord("App", ApplicationType.ConfigStore, 0, T0), Ct);
            await tx.Audit.AddAsync(new AuditEvent(T0, 1, "node1", "me", "upgraded"), Ct);
            await tx.CommitAsync(Ct);
        }

        Assert.Equal(PostgresMigrations.Steps.Count, await db.GetSchemaVersionAsync(Ct));
        Assert.Equal(SsoVault.Storage.Sqlite.SqliteMigrations.Steps.Count, db.LatestSchemaVersion);
    }

    [Fact]
    public async Task MigrateAsync_EveryIntermediateVersion_UpgradesStepByStep()
    {
        for (var target = 1; target <= PostgresMigrations.Steps.Count; target++)
        {
            await using var db = await PostgresSsoDatabase.OpenAsync(_location, create: false, Ct, targetVersion: target);

            await db.MigrateAsync(Ct);

            Assert.Equal(target, await db.GetSchemaVersionAsync(Ct));
        }
    }

    [Fact]
    public async Task MigrateAsync_SchemaVersion99_SchemaTooNewAndNothingChanged()
    {
        // Arrange: a database with data whose schema a newer SsoVault has moved on to version 99.
        await using (var db = await PostgresSsoDatabase.OpenAsync(_location, create: false, Ct))
        {
            await using var tx = await db.BeginAsync(Ct);
            await tx.System.InsertAsync(new SystemInfo { SystemId = Guid.NewGuid(), SecretServer = "node1", CreatedUtc = T0 }, Ct);
            await tx.CommitAsync(Ct);
        }

        await PostgresTestServer.ScalarAsync(_location, "UPDATE schema_version SET version = 99", Ct);
        var before = await FingerprintAsync();

        // Act
        var migrate = await Record.ExceptionAsync(async () =>
        {
            await using var db = await PostgresSsoDatabase.OpenAsync(_location, create: false, Ct);
            Assert.Equal(99, await db.GetSchemaVersionAsync(Ct));
            await db.MigrateAsync(Ct);
        });
        var begin = await Record.ExceptionAsync(async () =>
        {
            await using var db = await PostgresSsoDatabase.OpenAsync(_location, create: false, Ct);
            await using var tx = await db.BeginReadAsync(Ct);
        });

        // Assert
        foreach (var error in new[] { migrate, begin })
        {
            var sso = Assert.IsType<SsoException>(error);
            Assert.Equal(SsoErrorCode.SchemaTooNew, sso.Code);
            Assert.Contains("99", sso.Message, StringComparison.Ordinal);
            Assert.Contains("Nothing was changed", sso.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, await FingerprintAsync());
    }

    [Fact]
    public async Task MigrateAsync_FourNodesAtOnce_MigrateOnceAndAllSucceed()
    {
        var databases = new List<PostgresSsoDatabase>();
        for (var i = 0; i < 4; i++)
        {
            databases.Add(await PostgresSsoDatabase.OpenAsync(_location, create: false, Ct));
        }

        try
        {
            await Task.WhenAll(databases.Select(db => Task.Run(() => db.MigrateAsync(Ct))));

            Assert.Equal(databases[0].LatestSchemaVersion, await databases[0].GetSchemaVersionAsync(Ct));
            // The data rows of migration 4 exist once: a second run would have failed on their primary key anyway.
            Assert.Equal(2L, await PostgresTestServer.ScalarAsync(_location, "SELECT count(*) FROM accounts", Ct));
        }
        finally
        {
            foreach (var db in databases)
            {
                await db.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task OpenAsync_MissingDatabase_UnavailableWithoutCreateAndCreatedWithIt()
    {
        var location = PostgresTestServer.LocationOf($"ssovault_test_{Guid.NewGuid():N}");
        try
        {
            var error = await Assert.ThrowsAsync<SsoException>(() => PostgresSsoDatabase.OpenAsync(location, create: false, Ct));
            Assert.Equal(SsoErrorCode.DatabaseUnavailable, error.Code);
            Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);

            await using var db = await PostgresSsoDatabase.OpenAsync(location, create: true, Ct);
            await db.MigrateAsync(Ct);
            Assert.Equal(db.LatestSchemaVersion, await db.GetSchemaVersionAsync(Ct));
        }
        finally
        {
            await PostgresTestServer.DropDatabaseAsync(location, CancellationToken.None);
        }
    }

    [Fact]
    public async Task OpenAsync_WrongPassword_DatabaseUnavailableWithoutThePassword()
    {
        var location = new Npgsql.NpgsqlConnectionStringBuilder(_location) { Password = "not-the-password-42" }.ConnectionString;

        var error = await Assert.ThrowsAsync<SsoException>(() => PostgresSsoDatabase.OpenAsync(location, create: true, Ct));

        Assert.Equal(SsoErrorCode.DatabaseUnavailable, error.Code);
        Assert.Contains("refused the credentials", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-42", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_NothingListening_DatabaseUnavailableWithoutThePassword()
    {
        var error = await Assert.ThrowsAsync<SsoException>(() =>
            PostgresSsoDatabase.OpenAsync("postgres://sso:s3cret-pw@127.0.0.1:1/sso", create: false, Ct));

        Assert.Equal(SsoErrorCode.DatabaseUnavailable, error.Code);
        Assert.Contains("postgres://sso@127.0.0.1:1/sso is unreachable", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", error.Message + error.Hint, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- helpers

    private async Task<string> TablesAsync() => (string)(await PostgresTestServer.ScalarAsync(_location,
        "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'", Ct))!;

    /// <summary>The tables, columns, triggers, schema version and global info row, as one string.</summary>
    private async Task<string> FingerprintAsync() => (string)(await PostgresTestServer.ScalarAsync(_location, """
        SELECT (SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, column_name)
                FROM information_schema.columns WHERE table_schema = 'public')
            || '|' || (SELECT string_agg(tgname, ',' ORDER BY tgname) FROM pg_trigger WHERE NOT tgisinternal)
            || '|' || (SELECT version FROM schema_version)::text
            || '|' || (SELECT row_to_json(s)::text FROM system_info s)
        """, Ct))!;
}
