using System.Text.Json;
using SsoVault.Core.Backup;
using SsoVault.Core.Crypto;

namespace SsoVault.Core.Tests.Backup;

/// <summary>
/// The committed vector tests/vectors/backup-v1.bin pins format v1: if the writer or the reader ever changes the
/// format, these tests fail. To regenerate the vector on purpose (a new format version, never silently), run the
/// tests with SSOVAULT_REGENERATE_VECTORS=1 and commit the two files under tests/vectors.
/// </summary>
[Collection(BackupFileCollection.Name)]
public sealed class BackupVectorTests
{
    private static readonly byte[] Vector = File.ReadAllBytes(BackupVector.BinPath);
    private static readonly BackupLayout Layout = new(BackupVector.ReminderByteCount, 2);

    private static JsonElement Json()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(BackupVector.JsonPath));
        return document.RootElement.Clone();
    }

    [Fact]
    public void Write_VectorInputs_MatchesTheCommittedVectorOutsideTheRandomFields()
    {
        // Arrange: a new file from the same inputs; only the salt and nonce (and what depends on them) may differ.
        var written = BackupVector.Write();
        if (Environment.GetEnvironmentVariable(BackupVector.RegenerateVariable) == "1")
        {
            Directory.CreateDirectory(BackupVector.SourceDirectory);
            File.WriteAllBytes(Path.Combine(BackupVector.SourceDirectory, "backup-v1.bin"), written);
            File.WriteAllText(Path.Combine(BackupVector.SourceDirectory, "backup-v1.json"), BackupVector.Describe(written));
            return;
        }

        var random = new List<(int Start, int Length)>
        {
            (BackupLayout.Salt, 32),
            (Layout.PasswordCheck, 32),
            (Layout.Nonce, 12),
            (Layout.Ciphertext, 64 + 16 + 32), // ciphertext, tag, checksum
        };

        // Act + Assert
        Assert.Equal(Vector.Length, written.Length);
        for (var i = 0; i < Vector.Length; i++)
        {
            if (!random.Exists(r => i >= r.Start && i < r.Start + r.Length))
            {
                Assert.True(Vector[i] == written[i], $"byte {i} differs: the writer no longer writes format v1 as committed");
            }
        }
    }

    [Fact]
    public void Describe_CommittedVector_MatchesTheCommittedJson()
    {
        var expected = File.ReadAllText(BackupVector.JsonPath);

        var actual = BackupVector.Describe(Vector);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void ReadHeader_CommittedVector_GivesEveryDocumentedField()
    {
        // Arrange
        var json = Json();
        var secretsJson = json.GetProperty("secrets");

        // Act
        var header = BackupFileReader.ReadHeader(Vector);

        // Assert
        Assert.Equal(json.GetProperty("fileSize").GetInt32(), Vector.Length);
        Assert.Equal(1, header.FormatVersion);
        Assert.Equal(1, header.KdfId);
        Assert.Equal(json.GetProperty("kdf").GetProperty("iterations").GetInt32(), header.KdfIterations);
        Assert.Equal(600_000, header.KdfIterations);
        Assert.Equal(BackupVector.Reminder, header.Reminder);
        Assert.Equal(json.GetProperty("reminder").GetString(), header.Reminder);
        Assert.Equal(BackupVector.SystemId, header.SystemId);
        Assert.Equal(Guid.Parse(json.GetProperty("systemId").GetString()!), header.SystemId);
        Assert.Equal(BackupVector.CreatedUtc, header.CreatedUtc);
        Assert.Equal(json.GetProperty("createdUnixMs").GetInt64(), header.CreatedUtc.ToUnixTimeMilliseconds());
        Assert.Equal(2, header.Secrets.Count);
        Assert.Equal(2, secretsJson.GetArrayLength());
        for (var i = 0; i < 2; i++)
        {
            var info = header.Secrets[i];
            var entry = secretsJson[i];
            Assert.Equal(i == 0 ? BackupSecretRole.Current : BackupSecretRole.Previous, info.Role);
            Assert.Equal(entry.GetProperty("roleByte").GetInt32(), (int)info.Role);
            Assert.Equal(Guid.Parse(entry.GetProperty("msid").GetString()!), info.Msid);
            Assert.Equal(entry.GetProperty("createdUnixMs").GetInt64(), info.CreatedUtc.ToUnixTimeMilliseconds());
            Assert.Equal(entry.GetProperty("kcv").GetString(), info.KeyCheck.ToString());
        }

        Assert.Equal(BackupVector.CurrentMsid, header.Secrets[0].Msid);
        Assert.Equal(BackupVector.CurrentCreatedUtc, header.Secrets[0].CreatedUtc);
        Assert.Equal(BackupVector.CurrentKcv, header.Secrets[0].KeyCheck.ToString());
        Assert.Equal(BackupVector.PreviousMsid, header.Secrets[1].Msid);
        Assert.Equal(BackupVector.PreviousCreatedUtc, header.Secrets[1].CreatedUtc);
        Assert.Equal(BackupVector.PreviousKcv, header.Secrets[1].KeyCheck.ToString());
    }

    [Fact]
    public void Open_CommittedVectorWithTheDocumentedPassword_GivesTheSecretBytes()
    {
        // Arrange
        var json = Json();
        using var password = BackupPassword.From(json.GetProperty("password").GetString()!);

        // Act
        var (_, secrets) = BackupFileReader.Open(Vector, password);

        // Assert
        try
        {
            Assert.Equal(2, secrets.Count);
            var bytes = new byte[32];
            secrets[0].Secret.CopyTo(bytes);
            Assert.Equal(BackupVector.CurrentBytes, bytes);
            Assert.Equal(json.GetProperty("secrets")[0].GetProperty("secretHex").GetString(), Convert.ToHexStringLower(bytes));
            secrets[1].Secret.CopyTo(bytes);
            Assert.Equal(BackupVector.PreviousBytes, bytes);
            Assert.Equal(json.GetProperty("secrets")[1].GetProperty("secretHex").GetString(), Convert.ToHexStringLower(bytes));
            Assert.Equal(BackupVector.CurrentKcv, secrets[0].Secret.KeyCheck.ToString());
            Assert.Equal(BackupVector.PreviousKcv, secrets[1].Secret.KeyCheck.ToString());
        }
        finally
        {
            BackupFileFixture.DisposeAll(secrets);
        }
    }

    [Fact]
    public void KeyCheckValue_VectorSecrets_MatchThePinnedValues()
    {
        Assert.Equal(BackupVector.CurrentKcv, KeyCheckValue.Compute(BackupVector.CurrentBytes, BackupVector.CurrentMsid).ToString());
        Assert.Equal(BackupVector.PreviousKcv, KeyCheckValue.Compute(BackupVector.PreviousBytes, BackupVector.PreviousMsid).ToString());
    }
}
