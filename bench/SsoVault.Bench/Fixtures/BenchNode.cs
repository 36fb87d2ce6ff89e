using Microsoft.Extensions.Logging.Abstractions;
using SsoVault.Core.Backup;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;
using SsoVault.Storage.Sqlite;

namespace SsoVault.Bench.Fixtures;

/// <summary>
/// A real SSO system made for a workload: created by <see cref="SystemSetup.InitializeAsync"/> (database, master secret,
/// data key, verified backup) in its own folder and opened as a node, exactly as <c>ssovault init</c> and later
/// commands do.
/// </summary>
internal static class BenchNode
{
    public const string Password = "bench password, not a secret";
    public const string Reminder = "the benchmark's fixed password";

    /// <param name="open">How the node opens its database afterwards (a decorator of SQLite), SQLite itself when null.</param>
    public static async Task<SsoNode> CreateAsync(string folder, CancellationToken cancellationToken, ISsoDatabaseProvider? open = null)
    {
        var home = new NodeHome(folder);
        var provider = new SqliteDatabaseProvider();
        using (var password = BackupPassword.From(Password))
        {
            await SystemSetup.InitializeAsync(home, "bench-node", database: null, Path.Combine(folder, "init.ssobak"), Reminder,
                password, provider, TimeProvider.System, NullLogger.Instance, cancellationToken);
        }

        return await SsoNode.OpenAsync(home, open ?? provider, TimeProvider.System, NullLogger.Instance, cancellationToken);
    }
}
