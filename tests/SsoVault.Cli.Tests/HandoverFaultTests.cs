using SsoVault.Cli.Tests.Infrastructure;

namespace SsoVault.Cli.Tests;

/// <summary>
/// 'secret handover' killed (SIGKILL) at every step on the old master secret server, and refused when the new one is
/// down: before the commit the old server stays in charge and every value stays readable; after it, the new one is.
/// </summary>
public sealed class HandoverFaultTests
{
    [Fact]
    public async Task Handover_KilledAtEveryStepOrTargetDown_NeverHalfDone()
    {
        // Arrange
        await using var cluster = await NodeCluster.CreateAsync("sso1");
        var ws = cluster.Workspace;
        await ws.OkAsync("mss", "config", "set", "Erp", "Props", "password=s3cret", "--masked", "password");
        await cluster.StartAllReadyAsync("mss", "sso1");

        // Act + Assert: each crash before the commit leaves mss in charge, holding its secret, every value readable.
        foreach (var step in new[] { "handover.accepted", "handover.proven", "handover.before-commit" })
        {
            var crashed = await ws.RunWithAsync("mss", new Dictionary<string, string?> { ["SSOVAULT_CRASH_AT"] = step }, null,
                "secret", "handover", "--to", "sso1");
            Assert.True(crashed.ExitCode != 0, $"{step}: {crashed}");
            await AssertInChargeAsync(cluster, "mss", step);
        }

        // The new server down: refused with the reason, nothing changed.
        await cluster.StopAsync("sso1");
        var refused = await ws.RunAsync("mss", "secret", "handover", "--to", "sso1");
        Assert.Equal(21, refused.ExitCode);
        Assert.Contains("'sso1'", refused.Stderr);
        Assert.Contains("cannot be reached", refused.Stderr);
        await AssertInChargeAsync(cluster, "mss", "target down");
        await cluster.StartReadyAsync("sso1");

        // Killed right after the commit: sso1 is in charge and holds the secret; the system is whole.
        var afterCommit = await ws.RunWithAsync("mss", new Dictionary<string, string?> { ["SSOVAULT_CRASH_AT"] = "handover.committed" }, null,
            "secret", "handover", "--to", "sso1");
        Assert.NotEqual(0, afterCommit.ExitCode);
        await AssertInChargeAsync(cluster, "sso1", "handover.committed");
        Assert.Equal(1L, await cluster.ScalarAsync("SELECT count(*) FROM audit_events WHERE event_id = 20095"));
    }

    private static async Task AssertInChargeAsync(NodeCluster cluster, string secretServer, string step)
    {
        var ws = cluster.Workspace;
        var show = await ws.OkAsync(secretServer, "system", "show", "--json");
        Assert.True(secretServer == show.Json.GetProperty("secretServer").GetString(), $"{step}: {show.Stdout}");
        Assert.True(File.Exists(ws.SecretStoreOf(secretServer)), $"{step}: {secretServer} lost its store");
        var local = await ws.OkAsync(secretServer, "config", "get", "Erp", "Props", "--runtime", "--json");
        Assert.Equal("s3cret", local.Json.GetProperty("properties").GetProperty("password").GetString());
        using var client = cluster.ClientOf("mss"); // its server runs throughout, on the keys it holds in memory
        var remote = await client.GetConfigInfoAsync("Erp", "Props", runtime: true);
        Assert.Equal("s3cret", remote.Properties.Single(p => p.Name == "password").Value);
    }
}
