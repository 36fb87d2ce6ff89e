using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using SsoVault.Bench.Measurement;
using SsoVault.Bench.Report;
using SsoVault.Core.Crypto;

namespace SsoVault.Bench.Workloads;

/// <summary>
/// Encrypt + decrypt of one credential value on one thread: SsoVault's <see cref="KeyRing"/> (self-describing envelope,
/// record identity bound as AAD, built per operation as a lookup would) against ASP.NET Core Data Protection with its
/// default algorithms (AES-256-CBC + HMAC-SHA256) and against bare <see cref="AesGcm"/> with a random nonce
/// (reused instance and buffers: the cipher's own cost).
/// </summary>
internal static class ValueCryptoWorkload
{
    private const int Batch = 256;

    public static async Task RunAsync(RunSettings settings, string workFolder, BenchResults results, CancellationToken cancellationToken)
    {
        using var ring = new KeyRing([DataKey.Generate(1)], 1);
        var protector = DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(workFolder, "dataprotection-keys")))
            .CreateProtector("SsoVault.Bench credential value");
        using var aes = new AesGcm(RandomNumberGenerator.GetBytes(32), 16);

        foreach (var size in settings.ValueSizes)
        {
            var plaintext = RandomNumberGenerator.GetBytes(size);
            var ciphertext = new byte[size];
            var decrypted = new byte[size];
            var tag = new byte[16];

            var ours = Sampler.Throughput(settings, Batch, n =>
            {
                for (var i = 0; i < n; i++)
                {
                    var record = RecordIdentity.ConfigProperty("BenchApp", "record0000001", "password");
                    var envelope = ring.Encrypt(record, plaintext);
                    Sampler.Consume(ring.Decrypt(record, envelope).Length);
                }
            });
            var dataProtection = Sampler.Throughput(settings, Batch, n =>
            {
                for (var i = 0; i < n; i++)
                {
                    Sampler.Consume(protector.Unprotect(protector.Protect(plaintext)).Length);
                }
            });
            var bare = Sampler.Throughput(settings, Batch, n =>
            {
                Span<byte> nonce = stackalloc byte[12];
                for (var i = 0; i < n; i++)
                {
                    RandomNumberGenerator.Fill(nonce);
                    aes.Encrypt(nonce, plaintext, ciphertext, tag);
                    aes.Decrypt(nonce, ciphertext, tag, decrypted);
                    Sampler.Consume(decrypted[0]);
                }
            });

            var stats = await Sampler.InterleavedAsync(settings, cancellationToken, ours, dataProtection, bare);
            var workload = $"encrypt + decrypt one credential value, {size} B, 1 thread (`KeyRing`)";
            results.Rows.Add(BenchRow.Measured(workload, "ops/s", stats[0],
                "Data Protection `Protect`+`Unprotect`, default algorithms", stats[1], Goal.Min(2.0)));
            results.Rows.Add(BenchRow.Measured(workload, "ops/s", stats[0],
                "bare `AesGcm`, random nonce, reused instance", stats[2], Goal.Min(0.6)));
        }
    }
}
