using System.Security.Cryptography;

namespace SsoVault.Cli.Tests.Infrastructure;

/// <summary>
/// A temporary workspace with one or more node folders, a password file and helpers to run ssovault as a given
/// node. Everything lives under one temp folder, deleted at the end.
/// </summary>
public sealed class TestWorkspace : IDisposable
{
    public const string Password = "correct horse battery staple";
    public const string OtherPassword = "another password 42";

    public TestWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "ssovault-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        PasswordFile = Path.Combine(Root, "password.txt");
        File.WriteAllText(PasswordFile, Password + "\n");
        OtherPasswordFile = Path.Combine(Root, "other-password.txt");
        File.WriteAllText(OtherPasswordFile, OtherPassword + "\n");
    }

    public string Root { get; }

    public string PasswordFile { get; }

    public string OtherPasswordFile { get; }

    /// <summary>Every run's output, so a test can scan everything the program printed.</summary>
    public List<CliRun> Runs { get; } = [];

    public string HomeOf(string node) => Path.Combine(Root, node);

    public string PathOf(string name) => Path.Combine(Root, name);

    public string DatabaseOf(string node) => Path.Combine(HomeOf(node), "ssodb.sqlite");

    public string SecretStoreOf(string node) => Path.Combine(HomeOf(node), "secrets", "master-secret.store");

    public Task<CliRun> RunAsync(string node, params string[] arguments) => RunWithAsync(node, null, null, arguments);

    public async Task<CliRun> RunWithAsync(string node, IReadOnlyDictionary<string, string?>? environment, string? stdin, params string[] arguments)
    {
        var env = new Dictionary<string, string?> { ["SSOVAULT_HOME"] = HomeOf(node) };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            env[name] = value;
        }

        var run = await SsoVaultProcess.RunAsync(env, Root, stdin, arguments);
        Runs.Add(run);
        return run;
    }

    /// <summary>Runs and asserts success, with the whole output in the failure message.</summary>
    public async Task<CliRun> OkAsync(string node, params string[] arguments)
    {
        var run = await RunAsync(node, arguments);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    /// <summary>Creates node1 as the master secret server with backup b0.bak.</summary>
    public Task<CliRun> InitAsync(string node = "node1", string backup = "b0.bak") =>
        OkAsync(node, "init", "--backup", PathOf(backup), "--password-file", PasswordFile, "--reminder", "test reminder", "--node-name", node);

    public Task<CliRun> JoinAsync(string node, string databaseOwner = "node1") =>
        OkAsync(node, "init", "--join", "--db", DatabaseOf(databaseOwner), "--node-name", node);

    /// <summary>A fingerprint of everything a refused command must leave unchanged.</summary>
    public string StateOf(string node)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in new[] { SecretStoreOf(node), Path.Combine(HomeOf(node), "node.json") })
        {
            sha.AppendData(File.Exists(file) ? File.ReadAllBytes(file) : [0]);
        }

        return Convert.ToHexString(sha.GetHashAndReset()) + "|" + DatabaseState.Dump(DatabaseOf("node1"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process killed by a fault-injection test may still hold a file for a moment; the OS temp cleaner takes it.
        }
    }
}
