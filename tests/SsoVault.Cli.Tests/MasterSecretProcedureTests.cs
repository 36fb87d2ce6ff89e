using SsoVault.Cli.Tests.Infrastructure;

namespace SsoVault.Cli.Tests;

/// <summary>The four procedures of "Managing the Master Secret", end to end through the real CLI on real files.</summary>
public sealed class MasterSecretProcedureTests : IDisposable
{
    private readonly TestWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Generate_WithValues_NewCurrentOldPreviousAndEveryValueReadable()
    {
        await _ws.InitAsync();
        var values = await ConfigValues.WriteAsync(_ws, "node1", "App1", records: 3, perRecord: 20, seed: 1);
        var before = (await _ws.OkAsync("node1", "system", "show", "--json")).Json;

        var generated = (await _ws.OkAsync("node1", "secret", "generate", "--backup", _ws.PathOf("b1.bak"), "--password-file", _ws.PasswordFile, "--json")).Json;

        var after = (await _ws.OkAsync("node1", "system", "show", "--json")).Json;
        Assert.Equal(generated.GetProperty("msid").GetString(), after.GetProperty("current").GetProperty("msid").GetString());
        Assert.Equal(before.GetProperty("current").GetProperty("msid").GetString(), after.GetProperty("previous").GetProperty("msid").GetString());
        Assert.NotEqual(before.GetProperty("current").GetProperty("keyCheck").GetString(), after.GetProperty("current").GetProperty("keyCheck").GetString());
        await ConfigValues.AssertReadableAsync(_ws, "node1", "App1", values);
    }

    [Fact]
    public async Task Restore_BackupTakenBeforeGenerate_RefusedAsWrongSecretNamingBothMsidsAndNothingChanged()
    {
        await _ws.InitAsync();
        var oldMsid = (await _ws.OkAsync("node1", "system", "show", "--json")).Json.GetProperty("current").GetProperty("msid").GetString()!;
        await _ws.OkAsync("node1", "secret", "generate", "--backup", _ws.PathOf("b1.bak"), "--password-file", _ws.PasswordFile);
        var newMsid = (await _ws.OkAsync("node1", "system", "show", "--json")).Json.GetProperty("current").GetProperty("msid").GetString()!;
        var state = _ws.StateOf("node1");

        var run = await _ws.RunAsync("node1", "secret", "restore", _ws.PathOf("b0.bak"), "--password-file", _ws.PasswordFile);

        Assert.Equal(13, run.ExitCode);
        Assert.Contains("WrongSecret", run.Stderr);
        Assert.Contains(oldMsid, run.Stderr);
        Assert.Contains(newMsid, run.Stderr);
        Assert.Equal(state, _ws.StateOf("node1"));
    }

    [Fact]
    public async Task Restore_WrongPassword_Exit11ShowsReminderAndNothingChanged()
    {
        await _ws.InitAsync();
        var state = _ws.StateOf("node1");

        var run = await _ws.RunAsync("node1", "secret", "restore", _ws.PathOf("b0.bak"), "--password-file", _ws.OtherPasswordFile);

        Assert.Equal(11, run.ExitCode);
        Assert.Contains("WrongBackupPassword", run.Stderr);
        Assert.Contains("test reminder", run.Stderr);
        Assert.Equal(state, _ws.StateOf("node1"));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("flipped")]
    [InlineData("foreign")]
    [InlineData("empty")]
    public async Task Restore_CorruptOrForeignFile_Exit12AndNothingChanged(string damage)
    {
        await _ws.InitAsync();
        var bytes = File.ReadAllBytes(_ws.PathOf("b0.bak"));
        var damaged = damage switch
        {
            "truncated" => bytes[..^10],
            "flipped" => Flip(bytes, bytes.Length / 2),
            "foreign" => "<sso><globalInfo/></sso>"u8.ToArray(),
            _ => [],
        };
        File.WriteAllBytes(_ws.PathOf("damaged.bak"), damaged);
        var state = _ws.StateOf("node1");

        var run = await _ws.RunAsync("node1", "secret", "restore", _ws.PathOf("damaged.bak"), "--password-file", _ws.PasswordFile);

        Assert.Equal(12, run.ExitCode);
        Assert.Contains("CorruptBackupFile", run.Stderr);
        Assert.Equal(state, _ws.StateOf("node1"));
    }

    [Fact]
    public async Task Restore_BackupOfAnotherSystem_RefusedAsWrongSecret()
    {
        await _ws.InitAsync();
        await _ws.InitAsync("other", "other.bak");
        var state = _ws.StateOf("node1");

        var run = await _ws.RunAsync("node1", "secret", "restore", _ws.PathOf("other.bak"), "--password-file", _ws.PasswordFile);

        Assert.Equal(13, run.ExitCode);
        Assert.Contains("was written for SSO system", run.Stderr);
        Assert.Equal(state, _ws.StateOf("node1"));
    }

    [Fact]
    public async Task Restore_DamagedSecretStore_ReportedWithFixThenRestoreRepairsIt()
    {
        await _ws.InitAsync();
        var values = await ConfigValues.WriteAsync(_ws, "node1", "App1", records: 1, perRecord: 5, seed: 2);
        var store = File.ReadAllBytes(_ws.SecretStoreOf("node1"));
        File.WriteAllBytes(_ws.SecretStoreOf("node1"), Flip(store, 40));

        var broken = await _ws.RunAsync("node1", "config", "get", "App1", "record-000", "--runtime");
        Assert.Equal(10, broken.ExitCode);
        Assert.Contains("secret restore", broken.Stderr);

        var restore = await _ws.OkAsync("node1", "secret", "restore", _ws.PathOf("b0.bak"), "--password-file", _ws.PasswordFile);
        Assert.Contains("set aside", restore.Stdout);
        await ConfigValues.AssertReadableAsync(_ws, "node1", "App1", values);
    }

    [Fact]
    public async Task Backup_ThenRestoreOnDeletedStore_RecoversValues()
    {
        await _ws.InitAsync();
        var values = await ConfigValues.WriteAsync(_ws, "node1", "App1", records: 2, perRecord: 10, seed: 3);
        await _ws.OkAsync("node1", "secret", "generate", "--backup", _ws.PathOf("b1.bak"), "--password-file", _ws.PasswordFile);
        await _ws.OkAsync("node1", "secret", "backup", _ws.PathOf("b2.bak"), "--password-file", _ws.OtherPasswordFile, "--reminder", "second");
        File.Delete(_ws.SecretStoreOf("node1"));

        var missing = await _ws.RunAsync("node1", "config", "get", "App1", "record-000");
        Assert.Equal(9, missing.ExitCode);
        Assert.Contains("secret restore", missing.Stderr);

        await _ws.OkAsync("node1", "secret", "restore", _ws.PathOf("b2.bak"), "--password-file", _ws.OtherPasswordFile);
        await ConfigValues.AssertReadableAsync(_ws, "node1", "App1", values);
        var status = (await _ws.OkAsync("node1", "secret", "status", "--json")).Json;
        Assert.Equal("holdsCurrent", status.GetProperty("localSecret").GetString());
    }

    [Fact]
    public async Task Backup_HoldsCurrentAndPrevious_VerifyBackupSaysWhichTheDatabaseNeeds()
    {
        await _ws.InitAsync();
        await _ws.OkAsync("node1", "secret", "generate", "--backup", _ws.PathOf("b1.bak"), "--password-file", _ws.PasswordFile);
        await _ws.OkAsync("node1", "secret", "backup", _ws.PathOf("b2.bak"), "--password-file", _ws.PasswordFile, "--reminder", "the usual one");

        var verified = (await _ws.OkAsync("node1", "secret", "verify-backup", _ws.PathOf("b2.bak"), "--password-file", _ws.PasswordFile, "--json")).Json;
        var old = await _ws.RunAsync("node1", "secret", "verify-backup", _ws.PathOf("b0.bak"), "--password-file", _ws.PasswordFile, "--json");
        var reminder = await _ws.OkAsync("node1", "secret", "reminder", _ws.PathOf("b2.bak"));

        Assert.Equal(2, verified.GetProperty("secrets").GetArrayLength());
        Assert.True(verified.GetProperty("restoresThisDatabase").GetBoolean());
        Assert.True(verified.GetProperty("secrets")[0].GetProperty("neededByDatabase").GetBoolean());
        Assert.Equal(13, old.ExitCode);
        Assert.False(old.Json.GetProperty("restoresThisDatabase").GetBoolean());
        Assert.Equal("the usual one", reminder.Stdout.Trim());
    }

    [Fact]
    public async Task VerifyBackup_WithoutNode_ChecksFileAndPasswordOnly()
    {
        await _ws.InitAsync();

        var run = await _ws.OkAsync("no-node-here", "secret", "verify-backup", _ws.PathOf("b0.bak"), "--password-file", _ws.PasswordFile);
        var wrong = await _ws.RunAsync("no-node-here", "secret", "verify-backup", _ws.PathOf("b0.bak"), "--password-file", _ws.OtherPasswordFile);

        Assert.Contains("intact, and the password is right", run.Stdout);
        Assert.Contains("not compared with a database", run.Stdout);
        Assert.Equal(11, wrong.ExitCode);
    }

    [Theory]
    [InlineData("generate")]
    [InlineData("backup")]
    [InlineData("restore")]
    public async Task Procedure_OnNodeThatIsNotSecretServer_RefusedNamingTheSecretServer(string procedure)
    {
        await _ws.InitAsync();
        await _ws.JoinAsync("node2");
        var state = _ws.StateOf("node2");
        string[] args = procedure switch
        {
            "generate" => ["secret", "generate", "--backup", _ws.PathOf("x.bak"), "--password-file", _ws.PasswordFile],
            "backup" => ["secret", "backup", _ws.PathOf("x.bak"), "--password-file", _ws.PasswordFile],
            _ => ["secret", "restore", _ws.PathOf("b0.bak"), "--password-file", _ws.PasswordFile],
        };

        var run = await _ws.RunAsync("node2", args);

        Assert.Equal(8, run.ExitCode);
        Assert.Contains("NotSecretServer", run.Stderr);
        Assert.Contains("'node1'", run.Stderr);
        Assert.False(File.Exists(_ws.PathOf("x.bak")));
        Assert.Equal(state, _ws.StateOf("node2"));
    }

    [Fact]
    public async Task Move_ToFreshlyJoinedNodeThenRestore_Recovers10000ValuesByteForByte()
    {
        await _ws.InitAsync();
        var values = await ConfigValues.WriteAsync(_ws, "node1", "Bulk", records: 10, perRecord: 1000, seed: 4);
        await _ws.OkAsync("node1", "secret", "backup", _ws.PathOf("move.bak"), "--password-file", _ws.PasswordFile);
        await _ws.JoinAsync("node2");

        // The old server is treated as lost: the move is made from the new node itself.
        var moved = await _ws.OkAsync("node2", "system", "update", "--secret-server", "node2");
        Assert.Contains("secret restore", moved.Stdout);
        var before = await _ws.RunAsync("node2", "config", "get", "Bulk", "record-000");
        Assert.Equal(9, before.ExitCode);
        await _ws.OkAsync("node2", "secret", "restore", _ws.PathOf("move.bak"), "--password-file", _ws.PasswordFile);

        Assert.Equal(10_000, values.Count);
        await ConfigValues.AssertReadableAsync(_ws, "node2", "Bulk", values);
        var oldServer = await _ws.RunAsync("node1", "secret", "generate", "--backup", _ws.PathOf("x.bak"), "--password-file", _ws.PasswordFile);
        Assert.Equal(8, oldServer.ExitCode);
        Assert.Contains("'node2'", oldServer.Stderr);
    }

    [Fact]
    public async Task Move_WithEntssoUpdateFile_ChangesSecretServer()
    {
        await _ws.InitAsync();
        await _ws.JoinAsync("node2");
        File.WriteAllText(_ws.PathOf("update.xml"), """
            <?xml version="1.0"?>
            <SSO>
              <globalInfo>
                <secretServer>node2</secretServer>
              </globalInfo>
            </SSO>
            """);

        await _ws.OkAsync("node1", "system", "update", _ws.PathOf("update.xml"));
        await _ws.OkAsync("node2", "secret", "restore", _ws.PathOf("b0.bak"), "--password-file", _ws.PasswordFile);

        var status = (await _ws.OkAsync("node2", "secret", "status", "--json")).Json;
        Assert.Equal("node2", status.GetProperty("secretServer").GetString());
        Assert.True(status.GetProperty("thisNodeIsSecretServer").GetBoolean());
        Assert.Equal("holdsCurrent", status.GetProperty("localSecret").GetString());
    }

    [Theory]
    [InlineData("<sso><globalInfo><secretServer>node2</secretServer></globalInfo>", "not well-formed")]
    [InlineData("<!DOCTYPE sso [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><sso><globalInfo><secretServer>&x;</secretServer></globalInfo></sso>", "DTD")]
    [InlineData("<sso><globalInfo><ticketTimeout>0</ticketTimeout></globalInfo></sso>", "ticketTimeout")]
    [InlineData("<sso><globalInfo><secretServer>node2</secretServer><colour>red</colour></globalInfo></sso>", "<colour>")]
    [InlineData("<sso><globalInfo><secretServer>ghost</secretServer></globalInfo></sso>", "No node named 'ghost'")]
    public async Task Move_BadUpdateFile_RefusedWithClearErrorAndNothingChanged(string xml, string expected)
    {
        await _ws.InitAsync();
        await _ws.JoinAsync("node2");
        File.WriteAllText(_ws.PathOf("update.xml"), xml);
        var state = _ws.StateOf("node1");

        var run = await _ws.RunAsync("node1", "system", "update", _ws.PathOf("update.xml"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
        Assert.Equal(state, _ws.StateOf("node1"));
    }

    [Fact]
    public async Task Status_SecretServerWithoutSecret_WarnsToRestore()
    {
        await _ws.InitAsync();
        await _ws.JoinAsync("node2");
        await _ws.OkAsync("node2", "system", "update", "--secret-server", "node2");

        var status = (await _ws.OkAsync("node2", "secret", "status", "--json")).Json;

        Assert.Equal("missing", status.GetProperty("localSecret").GetString());
        Assert.Contains(status.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("secret restore", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Drill_CurrentBackupPassesOldBackupFails_NothingChanged()
    {
        await _ws.InitAsync();
        await ConfigValues.WriteAsync(_ws, "node1", "App1", records: 2, perRecord: 30, seed: 5);
        var passing = (await _ws.OkAsync("node1", "secret", "drill", _ws.PathOf("b0.bak"), "--password-file", _ws.PasswordFile, "--sample", "20", "--json")).Json;
        await _ws.OkAsync("node1", "secret", "generate", "--backup", _ws.PathOf("b1.bak"), "--password-file", _ws.PasswordFile);
        var state = _ws.StateOf("node1");

        var failing = await _ws.RunAsync("node1", "secret", "drill", _ws.PathOf("b0.bak"), "--password-file", _ws.PasswordFile, "--json");

        Assert.True(passing.GetProperty("passed").GetBoolean());
        Assert.Equal(20, passing.GetProperty("samples").GetArrayLength());
        Assert.Equal(13, failing.ExitCode);
        Assert.False(failing.Json.GetProperty("passed").GetBoolean());
        Assert.Equal(state, _ws.StateOf("node1"));
    }

    private static byte[] Flip(byte[] bytes, int offset)
    {
        var copy = (byte[])bytes.Clone();
        copy[offset] ^= 0x01;
        return copy;
    }
}
