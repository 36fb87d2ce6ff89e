using System.Text;
using SsoVault.Cli.Tests.Infrastructure;
using SsoVault.Core.Crypto;
using SsoVault.Core.Secrets;
using SsoVault.Storage.Sqlite;

namespace SsoVault.Cli.Tests;

/// <summary>
/// A whole scenario with verbose logging: nothing it prints or logs may contain a password, a master secret, a data key
/// or a masked value, in any encoding a careless log line would use.
/// </summary>
public sealed class SecretLeakTests : IDisposable
{
    private const string MaskedValue = "Masked-Value-8c1f0e";
    private readonly TestWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task WholeScenario_OutputAndLogs_ContainNoPasswordSecretOrMaskedValue()
    {
        var verbose = new Dictionary<string, string?>();
        await Run("init", "--backup", _ws.PathOf("b0.bak"), "--password-file", _ws.PasswordFile, "--node-name", "node1", "--verbose");
        File.WriteAllText(_ws.PathOf("masked.txt"), MaskedValue);
        await Run("config", "set", "App1", "ConfigProperties", "user=svc", "password=@" + _ws.PathOf("masked.txt"), "--masked", "password", "--verbose");
        await Run("config", "get", "App1", "ConfigProperties", "--verbose");
        await Run("secret", "generate", "--backup", _ws.PathOf("b1.bak"), "--password-file", _ws.PasswordFile, "--verbose");
        await Run("secret", "backup", _ws.PathOf("b2.bak"), "--password-file", _ws.OtherPasswordFile, "--verbose");
        await _ws.RunWithAsync("node1", new Dictionary<string, string?> { ["SSOVAULT_BACKUP_PASSWORD"] = TestWorkspace.OtherPassword }, null,
            "secret", "restore", _ws.PathOf("b2.bak"), "--verbose");
        await _ws.RunWithAsync("node1", null, "wrong password typed\n", "secret", "restore", _ws.PathOf("b2.bak"), "--verbose");
        await Run("secret", "restore", _ws.PathOf("b0.bak"), "--password-file", _ws.PasswordFile, "--verbose");
        await Run("secret", "verify-backup", _ws.PathOf("b1.bak"), "--password-file", _ws.PasswordFile, "--verbose");
        await Run("secret", "status", "--verbose");
        await Run("system", "show", "--verbose");

        var forbidden = new List<string> { TestWorkspace.Password, TestWorkspace.OtherPassword, "wrong password typed" };
        forbidden.AddRange(await KeyMaterialAsync());
        var everything = new StringBuilder();
        foreach (var run in _ws.Runs)
        {
            everything.AppendLine(run.Stderr).AppendLine(run.Stdout);
        }

        var log = File.ReadAllText(Path.Combine(_ws.HomeOf("node1"), "logs", "ssovault.log"));
        Assert.Contains("[10525]", log);
        Assert.Contains("[10523]", log);
        everything.AppendLine(log);
        var text = everything.ToString();
        foreach (var secret in forbidden)
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain(MaskedValue, log);
        Assert.DoesNotContain(MaskedValue, string.Concat(_ws.Runs.Select(r => r.Stderr)));
        Assert.DoesNotContain(MaskedValue, string.Concat(_ws.Runs.Select(r => r.Stdout)));

        async Task Run(params string[] args) => await _ws.RunWithAsync("node1", verbose, null, args);
    }

    /// <summary>Every master secret and data key of the node, as hex and base64.</summary>
    private async Task<IEnumerable<string>> KeyMaterialAsync()
    {
        var forms = new List<string>();
        using var store = new LocalSecretStore(Path.Combine(_ws.HomeOf("node1"), "secrets")).Load()!;
        await using var db = await SqliteSsoDatabase.OpenAsync(_ws.DatabaseOf("node1"), create: false, CancellationToken.None);
        await using var transaction = await db.BeginAsync(CancellationToken.None);
        var info = (await transaction.System.GetAsync(CancellationToken.None))!;
        foreach (var secret in store.Secrets)
        {
            var bytes = new byte[32];
            secret.CopyTo(bytes);
            forms.AddRange(Forms(bytes));
        }

        foreach (var wrapped in await transaction.DataKeys.ListAsync(CancellationToken.None))
        {
            using var key = DataKeyWrapper.Unwrap(store.Find(wrapped.WrappedUnderMsid)!, info.SystemId, wrapped.Id, wrapped.Wrapped);
            forms.AddRange(Forms(key.KeyBytes.ToArray()));
        }

        Assert.True(forms.Count >= 6);
        return forms;
    }

    private static IEnumerable<string> Forms(byte[] bytes) =>
    [
        Convert.ToHexString(bytes),
        Convert.ToBase64String(bytes),
        Convert.ToHexString(bytes.AsSpan(0, 8)),
    ];
}
