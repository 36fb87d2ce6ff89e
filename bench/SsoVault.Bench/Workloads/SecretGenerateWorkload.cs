using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using SsoVault.Bench.Fixtures;
using SsoVault.Bench.Measurement;
using SsoVault.Bench.Report;
using SsoVault.Core.Backup;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Nodes;
using SsoVault.Storage.Sqlite;

namespace SsoVault.Bench.Workloads;

/// <summary>
/// <c>secret generate</c> (<see cref="SecretGeneration.GenerateAsync"/>) on a store of many values against the same on a
/// store of few: with envelope encryption only the data keys are re-wrapped, so the cost must not grow with the data.
/// About 99 % of a generate is the backup's key derivation (PBKDF2, on write and on read-back); subtracting a separately
/// timed PBKDF2 leaves a few milliseconds under ±20 ms of noise, so the KDF is excluded by timing instead (see
/// <see cref="DataKeyCallClock"/>): our figure is the whole generate minus the window in which it makes no database call.
/// </summary>
internal static class SecretGenerateWorkload
{
    private sealed record Run(double Total, double Window, double Kdf);

    public static async Task RunAsync(RunSettings settings, string workFolder, BenchResults results, CancellationToken cancellationToken)
    {
        var clock = new DataKeyCallClock();
        var timed = new TimedDatabaseProvider(new SqliteDatabaseProvider(), clock);
        await using var small = await BenchNode.CreateAsync(Path.Combine(workFolder, "generate-small"), cancellationToken, timed);
        await using var large = await BenchNode.CreateAsync(Path.Combine(workFolder, "generate-large"), cancellationToken, timed);
        await ConfigBulkLoader.LoadAsync(small, settings.GenerateSmallValues, cancellationToken);
        await ConfigBulkLoader.LoadAsync(large, settings.GenerateLargeValues, cancellationToken);
        using var password = BackupPassword.From(BenchNode.Password);

        var smallRuns = new List<Run>();
        var largeRuns = new List<Run>();
        var count = 0;
        async Task<double> Generate(SsoNode node, List<Run> runs)
        {
            // The KDF alone, timed right before on the same thread: it shows what the window is made of.
            var kdf = Kdf.TimeGenerateDerivations();
            var backup = Path.Combine(node.Home.Root, $"generate-{++count}.ssobak");
            clock.Reset();
            var watch = Stopwatch.StartNew();
            await SecretGeneration.GenerateAsync(node, SsoVault.Core.Identity.Caller.LocalOperator, backup, BenchNode.Reminder, password, cancellationToken);
            var total = watch.Elapsed.TotalSeconds;
            var window = clock.Window.TotalSeconds;
            File.Delete(backup);
            runs.Add(new Run(total, window, kdf));
            return total - window;
        }

        var stats = await Sampler.InterleavedAsync(settings, cancellationToken,
            () => Generate(large, largeRuns), () => Generate(small, smallRuns));

        results.Rows.Add(BenchRow.Measured(
            $"`secret generate` on {settings.GenerateLargeValues:N0} values, KDF excluded (`SecretGeneration.GenerateAsync` minus its no-database window)",
            "ms", Milliseconds(stats[0]), $"the same on {settings.GenerateSmallValues:N0} values", Milliseconds(stats[1]), Goal.Max(2.0)));

        // Warm-up runs are in the lists too; the sub-measurements use the timed repetitions only.
        var timedLarge = largeRuns.Skip(settings.Warmups).ToList();
        var timedSmall = smallRuns.Skip(settings.Warmups).ToList();
        results.Details.Add(new BenchDetail($"`secret generate` on {settings.GenerateLargeValues:N0} values, total with KDF", "s",
            Stats.Of(timedLarge.Select(r => r.Total).ToList()), "what an administrator waits for"));
        results.Details.Add(new BenchDetail($"`secret generate` on {settings.GenerateSmallValues:N0} values, total with KDF", "s",
            Stats.Of(timedSmall.Select(r => r.Total).ToList()), "the ratio of totals needs no method at all, but hides everything but the KDF"));
        results.Details.Add(new BenchDetail("its no-database window (KDF, backup file written and read back, secret store saved)", "s",
            Stats.Of(timedLarge.Concat(timedSmall).Select(r => r.Window).ToList()), "excluded from our figure"));
        results.Details.Add(new BenchDetail("the KDF work of one generate timed alone: 2 × (PBKDF2-HMAC-SHA256, 600,000 iterations, 32-byte output, then HKDF-Expand)", "s",
            Stats.Of(timedLarge.Concat(timedSmall).Select(r => r.Kdf).ToList()),
            "nearly all of the window; 32 bytes are one SHA-256 block, so each derivation runs PBKDF2's 600,000 iterations once"));
    }

    private static Stats Milliseconds(Stats seconds) =>
        new(seconds.Median * 1000, seconds.Min * 1000, seconds.Max * 1000, seconds.Count);

    /// <summary>
    /// The key-derivation work that <c>secret generate</c> does: the backup writer and the read-back each derive a
    /// 32-byte password key with PBKDF2-HMAC-SHA256 at the default iteration count and expand it with HKDF-Expand into
    /// the encryption key and the password-check key (docs/backup-format.md), timed here with the same password, salt
    /// length and output lengths.
    /// </summary>
    private static class Kdf
    {
        private static readonly byte[] PasswordBytes = Encoding.UTF8.GetBytes(BenchNode.Password);

        public static double TimeGenerateDerivations()
        {
            Span<byte> salt = stackalloc byte[BackupFileFormat.SaltSize];
            Span<byte> passwordKey = stackalloc byte[32];
            Span<byte> keys = stackalloc byte[64];
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < 2; i++)
            {
                RandomNumberGenerator.Fill(salt);
                Rfc2898DeriveBytes.Pbkdf2(PasswordBytes, salt, passwordKey, BackupFileFormat.DefaultIterations, HashAlgorithmName.SHA256);
                HKDF.Expand(HashAlgorithmName.SHA256, passwordKey, keys[..32], BackupFileFormat.EncryptionKeyInfo);
                HKDF.Expand(HashAlgorithmName.SHA256, passwordKey, keys[32..], BackupFileFormat.PasswordCheckKeyInfo);
            }

            var seconds = watch.Elapsed.TotalSeconds;
            CryptographicOperations.ZeroMemory(passwordKey);
            CryptographicOperations.ZeroMemory(keys);
            return seconds;
        }
    }
}
