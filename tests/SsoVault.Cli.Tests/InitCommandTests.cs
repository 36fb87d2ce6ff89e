using SsoVault.Cli.Tests.Infrastructure;

namespace SsoVault.Cli.Tests;

public sealed class InitCommandTests : IDisposable
{
    private readonly TestWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Init_NewNode_CreatesDatabaseSecretAndVerifiedBackup()
    {
        var run = await _ws.InitAsync();

        Assert.Contains("Created SSO system", run.Stdout);
        Assert.Contains(_ws.PathOf("b0.bak"), run.Stdout);
        Assert.True(File.Exists(_ws.DatabaseOf("node1")));
        Assert.True(File.Exists(_ws.PathOf("b0.bak")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_ws.SecretStoreOf("node1")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_ws.PathOf("b0.bak")));
        var show = (await _ws.OkAsync("node1", "system", "show", "--json")).Json;
        Assert.Equal("node1", show.GetProperty("secretServer").GetString());
        Assert.True(show.GetProperty("schemaVersion").GetInt32() >= 5);
        Assert.Equal(_ws.DatabaseOf("node1"), show.GetProperty("database").GetString());
        Assert.Equal(JsonValueKindNull, show.GetProperty("previous").ValueKind);
        var status = (await _ws.OkAsync("node1", "secret", "status", "--json")).Json;
        Assert.True(status.GetProperty("currentSecretBackedUp").GetBoolean());
        Assert.Equal(0, status.GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public async Task Init_TwiceInSameHome_RefusedWithExit5AndNothingChanged()
    {
        await _ws.InitAsync();
        var before = _ws.StateOf("node1");

        var run = await _ws.RunAsync("node1", "init", "--backup", _ws.PathOf("again.bak"), "--password-file", _ws.PasswordFile);

        Assert.Equal(5, run.ExitCode);
        Assert.Contains("AlreadyInitialized", run.Stderr);
        Assert.False(File.Exists(_ws.PathOf("again.bak")));
        Assert.Equal(before, _ws.StateOf("node1"));
    }

    [Fact]
    public async Task Init_ShortPassword_RefusedWithExit2BeforeAnythingIsCreated()
    {
        File.WriteAllText(_ws.PathOf("short.txt"), "abc123\n");

        var run = await _ws.RunAsync("node1", "init", "--backup", _ws.PathOf("b.bak"), "--password-file", _ws.PathOf("short.txt"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("at least 7 characters", run.Stderr);
        Assert.False(Directory.Exists(_ws.HomeOf("node1")) && File.Exists(_ws.DatabaseOf("node1")));
        Assert.False(File.Exists(_ws.PathOf("b.bak")));
    }

    [Fact]
    public async Task Init_ReminderOver512Characters_RefusedWithExit2()
    {
        var run = await _ws.RunAsync("node1", "init", "--backup", _ws.PathOf("b.bak"), "--password-file", _ws.PasswordFile,
            "--reminder", new string('r', 513));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("512", run.Stderr);
        Assert.False(File.Exists(_ws.PathOf("b.bak")));
    }

    [Fact]
    public async Task Init_BackupFileExists_RefusedAndExistingFileUntouched()
    {
        File.WriteAllText(_ws.PathOf("b0.bak"), "an older backup");

        var run = await _ws.RunAsync("node1", "init", "--backup", _ws.PathOf("b0.bak"), "--password-file", _ws.PasswordFile);

        Assert.Equal(15, run.ExitCode);
        Assert.Equal("an older backup", File.ReadAllText(_ws.PathOf("b0.bak")));
        Assert.False(File.Exists(_ws.SecretStoreOf("node1")));
    }

    [Fact]
    public async Task InitJoin_ExistingSystem_AddsNodeWithoutSecret()
    {
        await _ws.InitAsync();

        var run = await _ws.JoinAsync("node2");

        Assert.Contains("No master secret was retrieved", run.Stdout);
        Assert.False(File.Exists(_ws.SecretStoreOf("node2")));
        var show = (await _ws.OkAsync("node2", "system", "show", "--json")).Json;
        Assert.Equal(2, show.GetProperty("nodes").GetArrayLength());
        Assert.Equal("node1", show.GetProperty("secretServer").GetString());
    }

    [Fact]
    public async Task InitJoin_DuplicateNodeName_RefusedWithConflict()
    {
        await _ws.InitAsync();

        var run = await _ws.RunAsync("node2", "init", "--join", "--db", _ws.DatabaseOf("node1"), "--node-name", "NODE1");

        Assert.Equal(15, run.ExitCode);
        Assert.Contains("already has a node named 'node1'", run.Stderr);
        Assert.False(File.Exists(Path.Combine(_ws.HomeOf("node2"), "node.json")));
    }

    [Fact]
    public async Task InitJoin_MissingDatabase_RefusedWithExit6()
    {
        var run = await _ws.RunAsync("node2", "init", "--join", "--db", _ws.PathOf("nope.sqlite"), "--node-name", "node2");

        Assert.Equal(6, run.ExitCode);
        Assert.Contains("does not exist", run.Stderr);
    }

    [Fact]
    public async Task AnyCommand_NoNode_SaysHowToCreateOne()
    {
        var run = await _ws.RunAsync("nowhere", "secret", "status");

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("ssovault init", run.Stderr);
    }

    [Fact]
    public async Task UnknownOption_UsageErrorExit2NamingHelp()
    {
        var run = await _ws.RunAsync("node1", "secret", "status", "--frobnicate");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("ssovault secret status --help", run.Stderr);
    }

    [Fact]
    public async Task Up_FirstRun_CreatesNodeWithBackupInNodeFolderThenShowsStatus()
    {
        var run = await _ws.RunWithAsync("node1", new Dictionary<string, string?> { ["SSOVAULT_BACKUP_PASSWORD"] = TestWorkspace.Password }, null, "up",
            "--node-name", "node1");

        Assert.True(run.ExitCode == 0, run.ToString());
        var backups = Directory.GetFiles(Path.Combine(_ws.HomeOf("node1"), "backups"), "*.bak");
        Assert.Single(backups);
        Assert.Contains(backups[0], run.Stdout);
        Assert.Contains("Next:", run.Stdout);
        Assert.Contains("is up", run.Stdout);

        var again = await _ws.OkAsync("node1", "up");
        Assert.DoesNotContain("Created SSO system", again.Stdout);
        Assert.Contains("No warnings.", again.Stdout);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
