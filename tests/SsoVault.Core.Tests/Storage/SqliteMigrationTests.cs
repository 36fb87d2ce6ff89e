using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using SsoVault.Core.Errors;
using SsoVault.Core.Storage;
using SsoVault.Core.Tests.TestSupport;
using SsoVault.Storage.Sqlite;

namespace SsoVault.Core.Tests.Storage;

/// <summary>Opening SQLite files: upgrades, newer schemas, missing and foreign files.</summary>
public sealed class SqliteMigrationTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));

    private CancellationToken Ct => _timeout.Token;

    public void Dispose()
    {
        _timeout.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task OpenAsync_Version1DatabaseWithData_UpgradedToLatestWithDataIntact()
    {
        // Arrange: a database as the first release left it, with global info and a node.
        var path = _dir.Combine("old.sqlite");
        var info = new SystemInfo
        {
            SystemId = Guid.NewGuid(),
            SecretServer = "node1",
            CreatedUtc = T0,
            Current = new MasterSecretInfo(Guid.NewGuid(), "0123456789abcdef", T0),
        };
        await using (var old = await SqliteSsoDatabase.OpenAsync(path, create: true, Ct, targetVersion: 1))
        {
            await old.MigrateAsync(Ct);
            Assert.Equal(1, await old.GetSchemaVersionAsync(Ct));
            await using var tx = await old.BeginAsync(Ct);
            await tx.System.InsertAsync(info, Ct);
            await tx.CommitAsync(Ct);
        }

        // Version 1's nodes table has two columns; today's repository writes more, so the old row goes in as SQL.
        await ExecuteRawAsync(path, $"INSERT INTO nodes (name, joined_ms) VALUES ('node1', {T0.ToUnixTimeMilliseconds()})");
        Assert.Equal(["data_keys", "nodes", "schema_version", "system_info"], await TablesAsync(path));

        // Act
        await using var db = await SqliteSsoDatabase.OpenAsync(path, create: false, Ct);
        Assert.Equal(1, await db.GetSchemaVersionAsync(Ct));
        await using (var tx = await db.BeginAsync(Ct))
        {
            // Assert: upgraded on first use, old data intact, new tables usable.
            Assert.Equal(info, await tx.System.GetAsync(Ct));
            Assert.Equal([new NodeRecord("node1", T0)], await tx.Nodes.ListAsync(Ct));
            await tx.Applications.AddAsync(new ApplicationRecord("App", ApplicationType.ConfigStore, 0, T0), Ct);
            await tx.Audit.AddAsync(new AuditEvent(T0, 1, "node1", "me", "upgraded"), Ct);
            await tx.CommitAsync(Ct);
        }

        Assert.Equal(db.LatestSchemaVersion, await db.GetSchemaVersionAsync(Ct));
        Assert.Equal(SqliteMigrations.Steps.Count, db.LatestSchemaVersion);
    }

    [Fact]
    public async Task MigrateAsync_EveryIntermediateVersion_UpgradesStepByStep()
    {
        var path = _dir.Combine("steps.sqlite");
        for (var target = 1; target <= SqliteMigrations.Steps.Count; target++)
        {
            await using var db = await SqliteSsoDatabase.OpenAsync(path, create: target == 1, Ct, targetVersion: target);

            await db.MigrateAsync(Ct);

            Assert.Equal(target, await db.GetSchemaVersionAsync(Ct));
        }
    }

    [Fact]
    public async Task MigrateAsync_SchemaVersion99_SchemaTooNewAndFileByteForByteUnchanged()
    {
        // Arrange: a valid database with data whose schema a newer SsoVault has moved on to version 99.
        var path = _dir.Combine("future.sqlite");
        await CreateWithDataAsync(path);
        await ExecuteRawAsync(path, "UPDATE schema_version SET version = 99;");
        var before = Fingerprint(path);

        // Act
        var migrate = await Record.ExceptionAsync(async () =>
        {
            await using var db = await SqliteSsoDatabase.OpenAsync(path, create: false, Ct);
            Assert.Equal(99, await db.GetSchemaVersionAsync(Ct));
            await db.MigrateAsync(Ct);
        });
        var begin = await Record.ExceptionAsync(async () =>
        {
            await using var db = await SqliteSsoDatabase.OpenAsync(path, create: false, Ct);
            await using var tx = await db.BeginAsync(Ct);
        });

        // Assert
        foreach (var error in new[] { migrate, begin })
        {
            var sso = Assert.IsType<SsoException>(error);
            Assert.Equal(SsoErrorCode.SchemaTooNew, sso.Code);
            Assert.Contains("99", sso.Message, StringComparison.Ordinal);
            Assert.Contains("Nothing was changed", sso.Message, StringComparison.Ordinal);
            Assert.NotNull(sso.Hint);
        }

        Assert.Equal(before, Fingerprint(path));
        Assert.Equal(99, await RawVersionAsync(path));
    }

    [Fact]
    public async Task BeginAsync_SchemaTooNewRefused_StaysRefusedOnSecondAttempt()
    {
        var path = _dir.Combine("future2.sqlite");
        await CreateWithDataAsync(path);
        await ExecuteRawAsync(path, "UPDATE schema_version SET version = 99;");
        await using var db = await SqliteSsoDatabase.OpenAsync(path, create: false, Ct);

        var first = await Assert.ThrowsAsync<SsoException>(() => db.BeginAsync(Ct));
        var second = await Assert.ThrowsAsync<SsoException>(() => db.BeginAsync(Ct));

        Assert.Equal(SsoErrorCode.SchemaTooNew, first.Code);
        Assert.Equal(SsoErrorCode.SchemaTooNew, second.Code);
    }

    [Fact]
    public async Task OpenAsync_MissingFileWithoutCreate_DatabaseUnavailableAndNoFileCreated()
    {
        var path = _dir.Combine("missing.sqlite");

        var error = await Assert.ThrowsAsync<SsoException>(() => SqliteSsoDatabase.OpenAsync(path, create: false, Ct));

        Assert.Equal(SsoErrorCode.DatabaseUnavailable, error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task ProviderOpenAsync_MissingFileWithoutCreate_DatabaseUnavailable()
    {
        var error = await Assert.ThrowsAsync<SsoException>(() =>
            new SqliteDatabaseProvider().OpenAsync(_dir.Combine("missing.sqlite"), create: false, Ct));

        Assert.Equal(SsoErrorCode.DatabaseUnavailable, error.Code);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OpenAsync_TextFile_SsoExceptionAndFileUnchanged(bool create)
    {
        var path = _dir.Combine("notes.txt");
        var text = string.Concat(Enumerable.Repeat("These are not the tables you are looking for.\n", 200));
        await File.WriteAllTextAsync(path, text, Ct);

        var error = await Record.ExceptionAsync(async () =>
        {
            await using var db = await SqliteSsoDatabase.OpenAsync(path, create, Ct);
            await db.MigrateAsync(Ct);
        });

        var sso = Assert.IsType<SsoException>(error);
        Assert.Equal(SsoErrorCode.DatabaseUnavailable, sso.Code);
        Assert.Equal(text, await File.ReadAllTextAsync(path, Ct));
    }

    [Fact]
    public void ProviderNormalize_PostgresUrl_InvalidInputWithoutPassword()
    {
        var provider = new SqliteDatabaseProvider();

        var error = Assert.Throws<SsoException>(() => provider.Normalize("postgres://admin:hunter2@db.example/sso"));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BeginAsync_NewEmptyDatabase_CreatesSchemaOnFirstUse()
    {
        var path = _dir.Combine("fresh.sqlite");
        await using var db = await SqliteSsoDatabase.OpenAsync(path, create: true, Ct);
        Assert.Equal(0, await db.GetSchemaVersionAsync(Ct));

        await using (var tx = await db.BeginAsync(Ct))
        {
            Assert.Null(await tx.System.GetAsync(Ct));
        }

        Assert.Equal(db.LatestSchemaVersion, await db.GetSchemaVersionAsync(Ct));
    }

    // ---------------------------------------------------------------- helpers

    private async Task CreateWithDataAsync(string path)
    {
        await using var db = await SqliteSsoDatabase.OpenAsync(path, create: true, Ct);
        await using var tx = await db.BeginAsync(Ct);
        await tx.System.InsertAsync(new SystemInfo
        {
            SystemId = Guid.NewGuid(),
            SecretServer = "node1",
            CreatedUtc = T0,
        }, Ct);
        await tx.Nodes.AddAsync(new NodeRecord("node1", T0), Ct);
        await tx.CommitAsync(Ct);
    }

    private static SqliteConnection RawConnection(string path) => new(new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWrite,
        Pooling = false,
    }.ToString());

    private async Task ExecuteRawAsync(string path, string sql)
    {
        await using var connection = RawConnection(path);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<int> RawVersionAsync(string path)
    {
        await using var connection = RawConnection(path);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_version";
        return Convert.ToInt32(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<List<string>> TablesAsync(string path)
    {
        await using var connection = RawConnection(path);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var names = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>
    /// SHA-256 of the database file and of its write-ahead log (WAL mode: committed pages may live in -wal until a
    /// checkpoint). Taken with every connection closed; a missing -wal counts as empty.
    /// </summary>
    private static string Fingerprint(string path)
    {
        var main = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        var walPath = path + "-wal";
        var walBytes = File.Exists(walPath) ? File.ReadAllBytes(walPath) : [];
        var wal = walBytes.Length == 0 ? "empty" : Convert.ToHexString(SHA256.HashData(walBytes));
        return $"{main}/{wal}";
    }
}
