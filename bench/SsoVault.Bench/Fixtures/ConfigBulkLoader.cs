using System.Globalization;
using System.Text;
using SsoVault.Core.ConfigStore;
using SsoVault.Core.Crypto;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;

namespace SsoVault.Bench.Fixtures;

/// <summary>
/// Fills a node's config store with real encrypted values: records of two 32-byte properties ("user", "password"),
/// encrypted under the node's own key ring and bound to their record, written through the repository in large
/// transactions. <see cref="ConfigStoreService.SetAsync"/> would load the key ring and commit (fsync) once per record,
/// which makes a million values take hours; the bytes stored are the same.
/// </summary>
internal static class ConfigBulkLoader
{
    public const string Application = "BenchApp";
    public static readonly string[] Properties = ["user", "password"];
    private const int ValuesPerTransaction = 20_000;

    public static string Identifier(int record) => "record" + record.ToString("D7", CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="values"/> values (rounded up to whole records); returns the number of records.</summary>
    public static async Task<int> LoadAsync(SsoNode node, int values, CancellationToken cancellationToken)
    {
        var records = (values + Properties.Length - 1) / Properties.Length;
        using var ring = await KeyRingLoader.LoadAsync(node, cancellationToken);
        var now = node.Clock.GetUtcNow();
        var record = 0;
        var first = true;
        while (record < records)
        {
            await using var transaction = await node.Database.BeginAsync(cancellationToken);
            if (first)
            {
                await transaction.Applications.AddAsync(
                    new ApplicationRecord(Application, ApplicationType.ConfigStore, ConfigStoreService.ConfigStoreFlags, now), cancellationToken);
                first = false;
            }

            for (var written = 0; written < ValuesPerTransaction && record < records; record++, written += Properties.Length)
            {
                var identifier = Identifier(record);
                foreach (var property in Properties)
                {
                    var plaintext = Encoding.UTF8.GetBytes(ValueOf(identifier, property));
                    var envelope = ring.Encrypt(RecordIdentity.ConfigProperty(Application, identifier, property), plaintext);
                    await transaction.Config.UpsertPropertyAsync(Application, identifier,
                        new ConfigPropertyRecord(property, property == "password", envelope, now), cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return records;
    }

    /// <summary>A 32-character value that tells which record and property it belongs to (checked by the read workload).</summary>
    public static string ValueOf(string identifier, string property) => $"{property}:{identifier}".PadRight(32, '.');
}
