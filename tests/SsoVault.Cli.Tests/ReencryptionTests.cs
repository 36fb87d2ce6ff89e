using SsoVault.Cli.Tests.Infrastructure;

namespace SsoVault.Cli.Tests;

/// <summary>
/// Data-key rotation end to end: the re-encryption job is killed with SIGKILL between batches, in the middle of a batch
/// and just before a commit, on a store of 100,000 values; after every restart it resumes, and in the end every value
/// decrypts to exactly what was written. Writers running during the job lose nothing.
/// </summary>
public sealed class ReencryptionTests : IDisposable
{
    private const int KilledBySigkill = 137;
    private readonly TestWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Reencrypt_KilledRepeatedlyOn100000Values_ResumesAndEveryValueIsIntact()
    {
        await _ws.InitAsync();
        var values = await ConfigValues.WriteAsync(_ws, "node1", "Bulk", records: 10, perRecord: 10_000, seed: 20);
        var rotated = (await _ws.OkAsync("node1", "secret", "rotate-data-key", "--no-reencrypt", "--json")).Json;
        Assert.Equal(100_000, rotated.GetProperty("valuesToMove").GetInt64());

        foreach (var crash in new[] { "reencrypt.between-batches@3", "reencrypt.mid-batch@2", "reencrypt.before-commit@4", "reencrypt.mid-batch@15", "reencrypt.before-commit@1" })
        {
            var killed = await _ws.RunWithAsync("node1", new Dictionary<string, string?> { ["SSOVAULT_CRASH_AT"] = crash }, null,
                "secret", "reencrypt", "--batch-size", "1000", "--rest", "0");
            Assert.True(killed.ExitCode == KilledBySigkill, killed.ToString());
            var sample = (await _ws.OkAsync("node1", "config", "get", "Bulk", "record-004", "--runtime", "--json")).Json;
            Assert.Equal(values[("record-004", "prop0000")], sample.GetProperty("properties").GetProperty("prop0000").GetString());
        }

        var midway = (await _ws.OkAsync("node1", "secret", "status", "--json")).Json.GetProperty("reencryption");
        Assert.False(midway.GetProperty("finished").GetBoolean());
        Assert.True(midway.GetProperty("processed").GetInt64() > 0);

        await _ws.OkAsync("node1", "secret", "reencrypt", "--rest", "0");

        var status = (await _ws.OkAsync("node1", "secret", "status", "--json")).Json;
        Assert.True(status.GetProperty("reencryption").GetProperty("finished").GetBoolean());
        Assert.Equal(0, status.GetProperty("reencryption").GetProperty("remaining").GetInt64());
        var keys = status.GetProperty("dataKeys").EnumerateArray().ToDictionary(k => k.GetProperty("id").GetInt32(), k => k.GetProperty("values").GetInt64());
        Assert.Equal(0, keys[1]);
        Assert.Equal(100_000, keys[2]);
        await ConfigValues.AssertReadableAsync(_ws, "node1", "Bulk", values);
    }

    [Fact]
    public async Task Reencrypt_WithConcurrentWriters_LosesNothing()
    {
        await _ws.InitAsync();
        var values = await ConfigValues.WriteAsync(_ws, "node1", "Live", records: 4, perRecord: 5_000, seed: 21);
        await _ws.OkAsync("node1", "secret", "rotate-data-key", "--no-reencrypt");

        // A slow job (small batches, resting three times as long as it works) while writers change and add values.
        var job = SsoVaultProcess.RunAsync(new Dictionary<string, string?> { ["SSOVAULT_HOME"] = _ws.HomeOf("node1") }, _ws.Root, null,
            "secret", "reencrypt", "--batch-size", "100", "--rest", "3");
        for (var round = 0; round < 6; round++)
        {
            var identifier = $"record-{round % 4:D3}";
            var changed = $"changed in round {round}";
            await _ws.OkAsync("node1", "config", "set", "Live", identifier, $"prop{round * 100:D4}={changed}", $"added{round}=new {round}");
            values[(identifier, $"prop{round * 100:D4}")] = changed;
            values[(identifier, $"added{round}")] = $"new {round}";
        }

        var finished = await job;
        Assert.True(finished.ExitCode == 0, finished.ToString());
        await _ws.OkAsync("node1", "secret", "reencrypt", "--rest", "0");
        var status = (await _ws.OkAsync("node1", "secret", "status", "--json")).Json;
        Assert.Equal(0, status.GetProperty("reencryption").GetProperty("remaining").GetInt64());
        await ConfigValues.AssertReadableAsync(_ws, "node1", "Live", values);
    }

    [Fact]
    public async Task Generate_RotatesDataKeyAndMovesValues_OldKeyRetiredThenDestroyable()
    {
        await _ws.InitAsync();
        var values = await ConfigValues.WriteAsync(_ws, "node1", "App", records: 2, perRecord: 50, seed: 22);

        await _ws.OkAsync("node1", "secret", "generate", "--backup", _ws.PathOf("b1.bak"), "--password-file", _ws.PasswordFile);
        var status = (await _ws.OkAsync("node1", "secret", "status", "--json")).Json;
        var keys = status.GetProperty("dataKeys").EnumerateArray().ToList();
        var retire = (await _ws.OkAsync("node1", "secret", "retire-keys", "--retention-days", "0", "--json")).Json;

        Assert.Equal("retired", keys[0].GetProperty("state").GetString());
        Assert.Equal(0, keys[0].GetProperty("values").GetInt64());
        Assert.Equal("active", keys[1].GetProperty("state").GetString());
        Assert.Equal(1, retire.GetProperty("destroyed")[0].GetInt32());
        await ConfigValues.AssertReadableAsync(_ws, "node1", "App", values);
    }
}
