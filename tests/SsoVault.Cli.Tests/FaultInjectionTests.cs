using SsoVault.Cli.Tests.Infrastructure;

namespace SsoVault.Cli.Tests;

/// <summary>
/// The process is killed with SIGKILL at every step of generate, restore and init (SSOVAULT_CRASH_AT). After each kill
/// the node must still open and read every value, and the procedure must succeed when run again.
/// </summary>
public sealed class FaultInjectionTests : IDisposable
{
    private const int KilledBySigkill = 137;
    private readonly TestWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    public static TheoryData<string> GenerateSteps => new()
    {
        "generate.backup-written", "generate.store-written", "generate.before-commit", "generate.committed",
    };

    public static TheoryData<string> RestoreSteps => new() { "restore.before-store-write", "restore.store-written" };

    public static TheoryData<string> InitSteps => new() { "init.backup-written", "init.store-written", "init.before-commit", "init.committed" };

    [Theory]
    [MemberData(nameof(GenerateSteps))]
    public async Task Generate_KilledAtStep_NodeStillReadsEveryValueAndGenerateSucceedsAgain(string step)
    {
        await _ws.InitAsync();
        var values = await ConfigValues.WriteAsync(_ws, "node1", "App1", records: 2, perRecord: 50, seed: 10);

        var killed = await CrashAsync(step, "secret", "generate", "--backup", _ws.PathOf("crash.bak"), "--password-file", _ws.PasswordFile);

        Assert.Equal(KilledBySigkill, killed.ExitCode);
        await ConfigValues.AssertReadableAsync(_ws, "node1", "App1", values);
        var status = (await _ws.OkAsync("node1", "secret", "status", "--json")).Json;
        Assert.Equal("holdsCurrent", status.GetProperty("localSecret").GetString());

        await _ws.OkAsync("node1", "secret", "generate", "--backup", _ws.PathOf("after.bak"), "--password-file", _ws.PasswordFile);
        await ConfigValues.AssertReadableAsync(_ws, "node1", "App1", values);
        await _ws.OkAsync("node1", "config", "set", "App1", "record-000", "added=after the crash");
    }

    [Theory]
    [MemberData(nameof(GenerateSteps))]
    public async Task Generate_KilledAtStep_BackupThatCoversDatabaseStillRestores(string step)
    {
        await _ws.InitAsync();
        var values = await ConfigValues.WriteAsync(_ws, "node1", "App1", records: 1, perRecord: 10, seed: 11);
        await CrashAsync(step, "secret", "generate", "--backup", _ws.PathOf("crash.bak"), "--password-file", _ws.PasswordFile);

        // Whichever secret the database ended up on, one of the two backups restores it after the store is lost.
        File.Delete(_ws.SecretStoreOf("node1"));
        var fromOld = await _ws.RunAsync("node1", "secret", "restore", _ws.PathOf("b0.bak"), "--password-file", _ws.PasswordFile);
        if (fromOld.ExitCode != 0)
        {
            Assert.Equal(13, fromOld.ExitCode);
            await _ws.OkAsync("node1", "secret", "restore", _ws.PathOf("crash.bak"), "--password-file", _ws.PasswordFile);
        }

        await ConfigValues.AssertReadableAsync(_ws, "node1", "App1", values);
    }

    [Theory]
    [MemberData(nameof(RestoreSteps))]
    public async Task Restore_KilledAtStep_NodeStillReadsEveryValueAndRestoreSucceedsAgain(string step)
    {
        await _ws.InitAsync();
        var values = await ConfigValues.WriteAsync(_ws, "node1", "App1", records: 2, perRecord: 50, seed: 12);

        var killed = await CrashAsync(step, "secret", "restore", _ws.PathOf("b0.bak"), "--password-file", _ws.PasswordFile);

        Assert.Equal(KilledBySigkill, killed.ExitCode);
        await ConfigValues.AssertReadableAsync(_ws, "node1", "App1", values);
        await _ws.OkAsync("node1", "secret", "restore", _ws.PathOf("b0.bak"), "--password-file", _ws.PasswordFile);
        await ConfigValues.AssertReadableAsync(_ws, "node1", "App1", values);
    }

    [Theory]
    [MemberData(nameof(InitSteps))]
    public async Task Init_KilledAtStep_InitAgainGivesWorkingNode(string step)
    {
        var killed = await CrashAsync(step, "init", "--backup", _ws.PathOf("crash.bak"), "--password-file", _ws.PasswordFile, "--node-name", "node1");
        Assert.Equal(KilledBySigkill, killed.ExitCode);

        await _ws.OkAsync("node1", "init", "--backup", _ws.PathOf("again.bak"), "--password-file", _ws.PasswordFile, "--node-name", "node1");
        await _ws.OkAsync("node1", "config", "set", "App1", "id", "k=v");
        var read = (await _ws.OkAsync("node1", "config", "get", "App1", "id", "--json")).Json;
        Assert.Equal("v", read.GetProperty("properties").GetProperty("k").GetString());
        var status = (await _ws.OkAsync("node1", "secret", "status", "--json")).Json;
        Assert.Equal("holdsCurrent", status.GetProperty("localSecret").GetString());
    }

    private Task<CliRun> CrashAsync(string step, params string[] arguments) =>
        _ws.RunWithAsync("node1", new Dictionary<string, string?> { ["SSOVAULT_CRASH_AT"] = step }, null, arguments);
}
