using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SsoVault.Core.Tests.Backup;

/// <summary>
/// A second, minimal reader of backup format v1 written from docs/backup-format.md alone: it uses no SsoVault type
/// (no BackupFileReader, BackupPassword, KeyCheckValue or MasterSecret), only System.Security.Cryptography.
/// If the document and the code ever disagree, this test fails.
/// </summary>
public sealed class IndependentBackupReaderTests
{
    private sealed record Entry(byte Role, Guid Msid, long CreatedUnixMs, byte[] Kcv);

    private sealed record Parsed(
        int Iterations, byte[] Salt, long CreatedUnixMs, Guid SystemId, string Reminder, List<Entry> Entries,
        byte[] PasswordCheck, byte[] Nonce, int CiphertextOffset, byte[] Ciphertext, byte[] Tag);

    /// <summary>Section "Layout" of the document, field by field, in order.</summary>
    private static Parsed Parse(byte[] file)
    {
        // The last 32 bytes are SHA-256 of everything before them.
        Assert.True(file.Length <= 65_536);
        var body = file.AsSpan(0, file.Length - 32);
        Assert.Equal(SHA256.HashData(body), file[^32..]);

        var at = 0;
        ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, int count)
        {
            var slice = data.Slice(at, count);
            at += count;
            return slice;
        }

        Assert.Equal("SSOVBKUP"u8.ToArray(), Take(body, 8).ToArray());
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(Take(body, 2)));
        Assert.Equal(1, Take(body, 1)[0]); // KDF id 1 = PBKDF2-HMAC-SHA256
        var iterations = (int)BinaryPrimitives.ReadUInt32BigEndian(Take(body, 4));
        Assert.InRange(iterations, 600_000, 10_000_000);
        Assert.Equal(32, Take(body, 1)[0]);
        var salt = Take(body, 32).ToArray();
        var created = BinaryPrimitives.ReadInt64BigEndian(Take(body, 8));
        var systemId = new Guid(Take(body, 16), bigEndian: true);
        var reminderLength = BinaryPrimitives.ReadUInt16BigEndian(Take(body, 2));
        var reminder = new UTF8Encoding(false, true).GetString(Take(body, reminderLength));
        var count = Take(body, 1)[0];
        Assert.InRange(count, 1, 2);
        var entries = new List<Entry>();
        for (var i = 0; i < count; i++)
        {
            entries.Add(new Entry(
                Take(body, 1)[0],
                new Guid(Take(body, 16), bigEndian: true),
                BinaryPrimitives.ReadInt64BigEndian(Take(body, 8)),
                Take(body, 8).ToArray()));
        }

        var passwordCheck = Take(body, 32).ToArray();
        var nonce = Take(body, 12).ToArray();
        var ciphertextLength = (int)BinaryPrimitives.ReadUInt32BigEndian(Take(body, 4));
        Assert.Equal(32 * count, ciphertextLength);
        var ciphertextOffset = at;
        var ciphertext = Take(body, ciphertextLength).ToArray();
        var tag = Take(body, 16).ToArray();
        Assert.Equal(body.Length, at);
        return new Parsed(iterations, salt, created, systemId, reminder, entries, passwordCheck, nonce, ciphertextOffset, ciphertext, tag);
    }

    /// <summary>Sections "Password and key derivation" and "Payload" of the document.</summary>
    private static List<byte[]> Decrypt(byte[] file, Parsed parsed, string password)
    {
        var passwordBytes = Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormC));
        // KDF id 1: PBKDF2-HMAC-SHA256 to a 32-byte password key, then HKDF-Expand-SHA256 of it with each ASCII label.
        var passwordKey = Rfc2898DeriveBytes.Pbkdf2(passwordBytes, parsed.Salt, parsed.Iterations, HashAlgorithmName.SHA256, 32);
        var encryptionKey = HKDF.Expand(HashAlgorithmName.SHA256, passwordKey, 32, Encoding.ASCII.GetBytes("SsoVault backup encryption key v1"));
        var checkKey = HKDF.Expand(HashAlgorithmName.SHA256, passwordKey, 32, Encoding.ASCII.GetBytes("SsoVault backup password check key v1"));
        Assert.Equal(parsed.PasswordCheck, HMACSHA256.HashData(checkKey, Encoding.ASCII.GetBytes("SsoVault backup password check v1")));

        var plaintext = new byte[parsed.Ciphertext.Length];
        using (var aes = new AesGcm(encryptionKey, 16))
        {
            aes.Decrypt(parsed.Nonce, parsed.Ciphertext, parsed.Tag, plaintext, file.AsSpan(0, parsed.CiphertextOffset));
        }

        var secrets = new List<byte[]>();
        for (var i = 0; i < parsed.Entries.Count; i++)
        {
            var secret = plaintext[(32 * i)..(32 * (i + 1))];
            var entry = parsed.Entries[i];
            // Key-check value: the first 8 bytes of HMAC-SHA256(key = secret, message = label || MSID in network order).
            byte[] message = [.. Encoding.ASCII.GetBytes("SsoVault key-check value v1"), .. entry.Msid.ToByteArray(bigEndian: true)];
            Assert.Equal(entry.Kcv, HMACSHA256.HashData(secret, message)[..8]);
            secrets.Add(secret);
        }

        return secrets;
    }

    [Fact]
    public void IndependentReader_CommittedVector_ParsesAndDecryptsToTheDocumentedValues()
    {
        // Arrange
        var file = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "vectors", "backup-v1.bin"));
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "backup-v1.json")));
        var json = document.RootElement;

        // Act
        var parsed = Parse(file);
        var secrets = Decrypt(file, parsed, json.GetProperty("password").GetString()!);

        // Assert
        Assert.Equal(json.GetProperty("kdf").GetProperty("iterations").GetInt32(), parsed.Iterations);
        Assert.Equal(json.GetProperty("kdf").GetProperty("saltHex").GetString(), Convert.ToHexStringLower(parsed.Salt));
        Assert.Equal(json.GetProperty("createdUnixMs").GetInt64(), parsed.CreatedUnixMs);
        Assert.Equal(json.GetProperty("systemId").GetString(), parsed.SystemId.ToString());
        Assert.Equal(json.GetProperty("reminder").GetString(), parsed.Reminder);
        Assert.Equal(json.GetProperty("nonceHex").GetString(), Convert.ToHexStringLower(parsed.Nonce));
        var secretsJson = json.GetProperty("secrets");
        Assert.Equal(secretsJson.GetArrayLength(), secrets.Count);
        for (var i = 0; i < secrets.Count; i++)
        {
            var entry = secretsJson[i];
            Assert.Equal(entry.GetProperty("roleByte").GetInt32(), parsed.Entries[i].Role);
            Assert.Equal(entry.GetProperty("msid").GetString(), parsed.Entries[i].Msid.ToString());
            Assert.Equal(entry.GetProperty("msidBytesHex").GetString(), Convert.ToHexStringLower(parsed.Entries[i].Msid.ToByteArray(bigEndian: true)));
            Assert.Equal(entry.GetProperty("createdUnixMs").GetInt64(), parsed.Entries[i].CreatedUnixMs);
            Assert.Equal(entry.GetProperty("kcv").GetString(), Convert.ToHexStringLower(parsed.Entries[i].Kcv));
            Assert.Equal(entry.GetProperty("secretHex").GetString(), Convert.ToHexStringLower(secrets[i]));
        }

        Assert.Equal([1, 2], parsed.Entries.Select(e => (int)e.Role));
    }
}
