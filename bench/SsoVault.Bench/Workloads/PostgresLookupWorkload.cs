using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SsoVault.Bench.Fixtures;
using SsoVault.Bench.Measurement;
using SsoVault.Bench.Report;
using SsoVault.Core.Applications;
using SsoVault.Core.Backup;
using SsoVault.Core.Nodes;
using SsoVault.Storage.Postgres;

namespace SsoVault.Bench.Workloads;

/// <summary>
/// ENTSSO's GetCredentials in process on PostgreSQL: a node whose SSO database is a fresh database on the server named by
/// <c>SSOVAULT_TEST_POSTGRES</c> (./bench/run starts a throwaway one on 127.0.0.1), filled by the same bulk loader as the
/// SQLite row, then <see cref="CredentialService.LookupAsync"/> for random users, cache off, from 8 concurrent workers;
/// against 8 workers each holding one connection with a hand-written *prepared* point read (the mapping by application +
/// account joined with its credential envelopes) and one AES-GCM decrypt per field. Sub-measurements, also 8 workers:
/// an empty read transaction, the lookup's statements through the repositories without the service, and the limit's
/// statement on a connection rented from a pool per lookup. Without a server the row is printed as not built.
/// </summary>
internal static class PostgresLookupWorkload
{
    public const int Workers = 8;
    public const string ServerVariable = "SSOVAULT_TEST_POSTGRES";
    private const string RowName = "credential lookup, PostgreSQL, 8 connections";
    private const string LimitName = "Npgsql prepared point read (mapping + credentials, one connection per worker) + one AES-GCM decrypt per field, hand-written";

    public static async Task RunAsync(RunSettings settings, string workFolder, BenchResults results, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(ServerVariable) is not { Length: > 0 } admin)
        {
            AddNotBuilt(results, $"a reachable PostgreSQL server: `{ServerVariable}` is not set (`./bench/run` starts one when PostgreSQL is installed)");
            return;
        }

        string location;
        try
        {
            location = await CreateDatabaseAsync(admin, cancellationToken);
        }
        catch (NpgsqlException e)
        {
            AddNotBuilt(results, $"a reachable PostgreSQL server: `{ServerVariable}` names one that cannot be used ({e.Message})");
            return;
        }

        try
        {
            await MeasureAsync(settings, Path.Combine(workFolder, "postgres-lookup"), location, results, cancellationToken);
        }
        finally
        {
            await DropDatabaseAsync(admin, location, CancellationToken.None);
        }
    }

    private static async Task MeasureAsync(RunSettings settings, string folder, string location, BenchResults results, CancellationToken cancellationToken)
    {
        var provider = new PostgresDatabaseProvider();
        var home = new NodeHome(folder);
        using (var password = BackupPassword.From(BenchNode.Password))
        {
            await SystemSetup.InitializeAsync(home, "bench-pg-node", location, Path.Combine(folder, "init.ssobak"), BenchNode.Reminder, password, provider,
                TimeProvider.System, NullLogger.Instance, cancellationToken);
        }

        await using var node = await SsoNode.OpenAsync(home, provider, TimeProvider.System, NullLogger.Instance, cancellationToken);
        // The loader's transactions of 10,000 users, as on SQLite: since migration 10 the change-epoch triggers bump the
        // application's row once per transaction (they bumped it per written row, which made large transactions quadratic).
        var store = await CredentialBulkLoader.LoadAsync(node, settings.CredentialMappings, cancellationToken);
        // Fresh statistics, as autovacuum's analyze gives a running server within a minute of a bulk change: without them
        // the planner guesses a handful of rows per application and ANDs in a scan of every mapping of the application.
        await ExecuteAsync(location, "ANALYZE", cancellationToken);
        var (_, key) = await RawDataKey.UnwrapCurrentAsync(node, cancellationToken);
        var application = CredentialStore.Application;
        var picks = Enumerable.Range(0, Workers).Select(w => new Random(20_240_602 + w)).ToArray();

        var readers = new PreparedReader[Workers];
        await using var pooled = new NpgsqlDataSourceBuilder(PostgresLocation.WithDefaults(new NpgsqlConnectionStringBuilder(location)).ConnectionString)
            .Build();
        try
        {
            for (var w = 0; w < Workers; w++)
            {
                readers[w] = await PreparedReader.OpenAsync(location, key, cancellationToken);
            }

            CryptographicOperations.ZeroMemory(key);

            var lookups = Concurrent(settings, async worker =>
            {
                var user = picks[worker].Next(store.Users);
                CredentialStore.Check(user, await CredentialService.LookupAsync(node, store.CallerOf(user), application, cancellationToken, refresh: true));
            });
            var limit = Concurrent(settings, async worker =>
            {
                var user = picks[worker].Next(store.Users);
                var (external, credentials) = await readers[worker].ReadAsync(application, CredentialStore.Account(user), cancellationToken);
                CredentialStore.Check(user, external, credentials);
            });
            var statement = Concurrent(settings, async worker =>
            {
                var account = CredentialStore.Account(picks[worker].Next(store.Users));
                var found = await node.Database.ReadMappingWithCredentialsAsync(application, account, cancellationToken)
                            ?? throw new InvalidOperationException($"No mapping for {account}.");
                Sampler.Consume(found.Credentials.Count);
            });
            var pooledRead = Concurrent(settings, async worker =>
            {
                var user = picks[worker].Next(store.Users);
                await using var connection = await pooled.OpenConnectionAsync(cancellationToken);
                await using var command = PreparedReader.Command(connection, application, CredentialStore.Account(user));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var rows = 0;
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows++;
                }

                Sampler.Consume(rows == CredentialStore.Fields ? rows : throw new InvalidOperationException($"User {user} has {rows} credentials."));
            });

            var stats = await Sampler.InterleavedAsync(settings, cancellationToken, lookups, limit, statement, pooledRead);
            results.Rows.Add(BenchRow.Measured(
                $"{RowName} (`CredentialService.LookupAsync(refresh: true)` from {Workers} workers, {store.Users:N0} mappings × 2 × 32 B, random users)",
                "lookups/s", stats[0], LimitName, stats[1], Goal.Min(0.6)));
            results.Details.Add(new BenchDetail($"PostgreSQL: `ReadMappingWithCredentialsAsync` alone, the one statement of a cache-off lookup (autocommit on a pooled connection), {Workers} workers",
                "reads/s", stats[2], "the database work of a cache-off lookup (its application context is cached, its epochs leased)"));
            results.Details.Add(new BenchDetail($"PostgreSQL: the limit's statement on a connection rented from a pool per lookup (`NpgsqlDataSource`, auto-prepared), {Workers} workers",
                "lookups/s", stats[3], "what renting a pooled connection costs the limit"));
        }
        finally
        {
            foreach (var reader in readers)
            {
                if (reader is not null)
                {
                    await reader.DisposeAsync();
                }
            }
        }
    }

    /// <summary>
    /// A throughput sample of <see cref="Workers"/> concurrent loops (the argument is the worker's index), bounded like every
    /// other loop: the repetition's time, and its operation budget shared by all workers.
    /// </summary>
    private static Sampler.Sample Concurrent(RunSettings settings, Func<int, Task> operation) => async () =>
    {
        long started = 0;
        long completed = 0;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            while (watch.Elapsed < settings.TimePerRepetition && Interlocked.Increment(ref started) <= settings.MaxOperationsPerRepetition)
            {
                await operation(worker);
                Interlocked.Increment(ref completed);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return Interlocked.Read(ref completed) / watch.Elapsed.TotalSeconds;
    };

    private static void AddNotBuilt(BenchResults results, string waitsFor) =>
        results.Rows.Add(BenchRow.NotBuilt(RowName, "lookups/s", "Npgsql prepared point read + decrypt", Goal.Min(0.6), waitsFor));

    private static async Task<string> CreateDatabaseAsync(string admin, CancellationToken cancellationToken)
    {
        var name = $"ssovault_bench_{Guid.NewGuid():N}";
        await ExecuteAsync(admin, $"CREATE DATABASE {name}", cancellationToken);
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    private static async Task DropDatabaseAsync(string admin, string location, CancellationToken cancellationToken)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(location).Database} WITH (FORCE)", cancellationToken);
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The limit: one open connection, one statement prepared on it once (the mapping by application + account and its
    /// credential envelopes, joined), one cached <see cref="AesGcm"/>, one decrypt per field with its record identity
    /// built as the lookup builds it.
    /// </summary>
    private sealed class PreparedReader : IAsyncDisposable
    {
        private const string Sql = """
            SELECT m.external_user, c.ordinal, c.envelope FROM mappings m JOIN credentials c ON c.mapping_id = m.id
            WHERE m.app_name = @app::citext AND m.windows_account = @win::citext AND NOT m.host_group AND m.enabled ORDER BY c.ordinal
            """;

        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlCommand _command;
        private readonly AesGcm _aes;
        private readonly byte[] _plaintext = new byte[4096];

        private PreparedReader(NpgsqlConnection connection, NpgsqlCommand command, byte[] key)
        {
            _connection = connection;
            _command = command;
            _aes = new AesGcm(key, RawEnvelope.TagSize);
        }

        public static NpgsqlCommand Command(NpgsqlConnection connection, string application, string windowsAccount)
        {
            var command = new NpgsqlCommand(Sql, connection);
            command.Parameters.Add(new NpgsqlParameter<string>("app", application));
            command.Parameters.Add(new NpgsqlParameter<string>("win", windowsAccount));
            return command;
        }

        public static async Task<PreparedReader> OpenAsync(string location, byte[] key, CancellationToken cancellationToken)
        {
            var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(location) { Pooling = false }.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await connection.ReloadTypesAsync(cancellationToken);
            var command = Command(connection, "", "");
            await command.PrepareAsync(cancellationToken);
            return new PreparedReader(connection, command, key);
        }

        public async Task<(string ExternalUser, List<string> Credentials)> ReadAsync(string application, string windowsAccount,
            CancellationToken cancellationToken)
        {
            ((NpgsqlParameter<string>)_command.Parameters[0]).TypedValue = application;
            ((NpgsqlParameter<string>)_command.Parameters[1]).TypedValue = windowsAccount;
            var external = "";
            var credentials = new List<string>(CredentialStore.Fields);
            await using var reader = await _command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                external = reader.GetString(0);
                credentials.Add(HandWrittenCredentialReader.OpenField(_aes, _plaintext, application, windowsAccount, external, reader.GetInt32(1),
                    reader.GetFieldValue<byte[]>(2)));
            }

            return (external, credentials);
        }

        public async ValueTask DisposeAsync()
        {
            await _command.DisposeAsync();
            await _connection.DisposeAsync();
            _aes.Dispose();
        }
    }
}
