using SsoVault.Cli.Tests.Infrastructure;
using SsoVault.Client;

namespace SsoVault.Cli.Tests;

/// <summary>
/// Three real nodes on a real PostgreSQL: a master secret server and two SSO servers, each a real 'ssovault serve'
/// process on 127.0.0.1 polling every second. What issue #4 promises: the SSO servers outlive the master secret
/// server, the master secret server moves while clients keep reading, a removed node is refused, a lost master secret
/// server is replaced from its backup.
/// </summary>
public sealed class MultiNodeTests
{
    private static readonly TimeSpan Follow = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task MasterSecretServerKilled_SsoServersKeepServingLookupsAndWrites_ARestartedServerWaitsAndSaysForWhat()
    {
        // Arrange
        await using var cluster = await NodeCluster.CreateAsync("sso1", "sso2");
        await cluster.Workspace.OkAsync("mss", "config", "set", "Erp", "Props", "endpoint=https://erp", "password=s3cret", "--masked", "password");
        await cluster.StartAllReadyAsync("mss", "sso1", "sso2");
        using var sso1 = cluster.ClientOf("sso1");
        using var sso2 = cluster.ClientOf("sso2");
        await using var load = new LookupLoad();
        load.Start(sso1, "Erp", "Props", "password", "s3cret");
        load.Start(sso2, "Erp", "Props", "password", "s3cret");

        // Act: the master secret server dies without warning; clients keep reading and writing through both SSO servers.
        await cluster.StopAsync("mss");
        var read = await sso1.GetConfigInfoAsync("Erp", "Props", runtime: true);
        for (var i = 0; i < 20; i++)
        {
            await (i % 2 == 0 ? sso1 : sso2).SetConfigInfoAsync("Erp", $"Written{i}", new Dictionary<string, string> { ["token"] = $"during-outage {i}" }, ["token"]);
        }

        await sso1.SetConfigInfoAsync("Erp", "Written", new Dictionary<string, string> { ["token"] = "during-outage" }, ["token"]);
        var readElsewhere = await sso2.GetConfigInfoAsync("Erp", "Written", runtime: true);
        var readAllElsewhere = new List<string?>();
        for (var i = 0; i < 20; i++)
        {
            readAllElsewhere.Add((await (i % 2 == 0 ? sso2 : sso1).GetConfigInfoAsync("Erp", $"Written{i}", runtime: true)).Properties.Single().Value);
        }

        await load.StopAsync();
        await cluster.StartAsync("sso2");
        using var restarted = cluster.ClientOf("sso2");
        ReadinessReport? waiting = null;
        await NodeCluster.WaitUntilAsync(async () => (waiting = await restarted.GetReadinessAsync()).Checks.Count == 2, Follow, "a readiness report");
        var refused = await Assert.ThrowsAsync<SsoVaultException>(() => restarted.GetConfigInfoAsync("Erp", "Props", runtime: true));
        await cluster.StartReadyAsync("mss");
        await NodeCluster.WaitUntilAsync(async () => (await restarted.GetReadinessAsync()).Status == "ready", Follow, "sso2 ready once mss is back");
        var afterRecovery = await restarted.GetConfigInfoAsync("Erp", "Written", runtime: true);

        // Assert
        Assert.True(load.Failures.IsEmpty, $"{load.Failures.Count} of {load.Lookups} lookups failed: {string.Join(" | ", load.Failures.Take(5))}");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"during-outage {i}"), readAllElsewhere);
        Assert.Equal("s3cret", read.Properties.Single(p => p.Name == "password").Value);
        Assert.Equal("during-outage", readElsewhere.Properties.Single().Value);
        Assert.Equal("waiting", waiting!.Status);
        var keyRing = waiting.Checks.Single(c => c.Name == "keyRing");
        Assert.False(keyRing.Ok);
        Assert.Contains("'mss'", keyRing.Detail);
        Assert.Contains("waits for data keys 1", keyRing.Detail);
        Assert.Equal("SecretUnavailable", refused.Code);
        Assert.Equal("during-outage", afterRecovery.Properties.Single().Value);
    }

    [Fact]
    public async Task HandoverThenEntssoStyleMove_WhileClientsRead_ZeroFailedLookupsAndServersFollowNewKeys()
    {
        // Arrange
        await using var cluster = await NodeCluster.CreateAsync("sso1", "sso2");
        var ws = cluster.Workspace;
        await ws.OkAsync("mss", "config", "set", "Erp", "Props", "password=s3cret", "--masked", "password");
        await cluster.StartAllReadyAsync("mss", "sso1", "sso2");
        using var reader1 = cluster.ClientOf("sso1");
        using var reader2 = cluster.ClientOf("sso2");
        await using var load = new LookupLoad();
        load.Start(reader1, "Erp", "Props", "password", "s3cret");
        load.Start(reader2, "Erp", "Props", "password", "s3cret");

        // Act 1: a direct handover from mss to sso1, then a new secret (and data key) on sso1.
        var handover = await ws.OkAsync("mss", "secret", "handover", "--to", "sso1", "--json");
        await ws.OkAsync("sso1", "secret", "generate", "--backup", ws.PathOf("b1.bak"), "--password-file", ws.PasswordFile);
        await reader1.SetConfigInfoAsync("Erp", "New", new Dictionary<string, string> { ["k"] = "under key 2" });
        await NodeCluster.WaitUntilAsync(async () => (await reader2.GetConfigInfoAsync("Erp", "New", runtime: true)).Properties.Single().Value == "under key 2",
            Follow, "sso2 reads a value under the new data key");
        var mssStatus = await ws.OkAsync("mss", "system", "show", "--json");

        // Act 2: ENTSSO's way from sso1 to sso2: back up, point the database at sso2, restore there; then a new secret on sso2.
        await ws.OkAsync("sso1", "secret", "backup", ws.PathOf("b2.bak"), "--password-file", ws.PasswordFile);
        await ws.OkAsync("sso1", "system", "update", "--secret-server", "sso2");
        await ws.OkAsync("sso2", "secret", "restore", ws.PathOf("b2.bak"), "--password-file", ws.PasswordFile);
        await ws.OkAsync("sso2", "secret", "generate", "--backup", ws.PathOf("b3.bak"), "--password-file", ws.PasswordFile);
        await reader2.SetConfigInfoAsync("Erp", "Newer", new Dictionary<string, string> { ["k"] = "under key 3" });
        await NodeCluster.WaitUntilAsync(async () => (await reader1.GetConfigInfoAsync("Erp", "Newer", runtime: true)).Properties.Single().Value == "under key 3",
            Follow, "sso1 reads a value under the data key sso2 made");
        await load.StopAsync();

        // Assert
        Assert.Equal("sso1", handover.Json.GetProperty("newServer").GetString());
        Assert.True(handover.Json.GetProperty("oldCopyRemoved").GetBoolean());
        Assert.False(File.Exists(ws.SecretStoreOf("mss")));
        Assert.Equal("sso1", mssStatus.Json.GetProperty("secretServer").GetString());
        Assert.True(load.Lookups > 20, $"only {load.Lookups} lookups ran");
        Assert.True(load.Failures.IsEmpty, $"{load.Failures.Count} of {load.Lookups} lookups failed: {string.Join(" | ", load.Failures.Take(5))}\n" +
                                           cluster.Server("sso1").Output + cluster.Server("sso2").Output);
        Assert.Equal(1L, await cluster.ScalarAsync("SELECT count(*) FROM audit_events WHERE event_id = 20095"));
    }

    [Fact]
    public async Task RemovedNode_IsRefusedByTheMasterSecretServer_AndTheRefusalIsAudited()
    {
        // Arrange
        await using var cluster = await NodeCluster.CreateAsync("sso1", "sso2");
        await cluster.StartAllReadyAsync("mss", "sso2");

        // Act
        var removed = await cluster.Workspace.OkAsync("sso1", "node", "remove", "sso2");
        var removeServer = await cluster.Workspace.RunAsync("sso1", "node", "remove", "mss");
        await cluster.StartAsync("sso2");
        using var client = cluster.ClientOf("sso2");
        ReadinessReport? report = null;
        await NodeCluster.WaitUntilAsync(async () => (report = await client.GetReadinessAsync()).Checks.Any(c => c.Code == "NodeNotApproved"), Follow,
            "sso2 refused");
        var list = await cluster.Workspace.OkAsync("sso1", "node", "list", "--json");

        // Assert
        Assert.Contains("removed", removed.Stdout);
        Assert.Equal(15, removeServer.ExitCode);
        Assert.Contains("was removed", report!.Checks.Single(c => c.Name == "keyRing").Detail);
        Assert.Equal("removed", list.Json.EnumerateArray().Single(n => n.GetProperty("name").GetString() == "sso2").GetProperty("state").GetString());
        // The refusal is audited just after the answer (the secret server never waits for the write lock before answering).
        await NodeCluster.WaitUntilAsync(async () => await cluster.ScalarAsync("SELECT count(*) FROM audit_events WHERE event_id = 20091 AND actor = 'node:sso2'") >= 1,
            Follow, "the refusal audited");
    }

    /// <summary>
    /// The change-epoch lease across processes (decision 41): sso2 answers from its credential cache while a client
    /// keeps it busy, so its lease on the epochs never goes cold; a password changed through sso1 must be what sso2
    /// answers as soon as sso1 has answered the change.
    /// </summary>
    [Fact]
    public async Task CredentialsChangedThroughOneServer_LookupThroughTheOtherRightAfter_NeverStale_WhileItsCacheIsBusy()
    {
        // Arrange
        await using var cluster = await NodeCluster.CreateAsync("sso1", "sso2");
        await cluster.StartAllReadyAsync("mss", "sso1", "sso2");
        using var sso1 = cluster.ClientOf("sso1");
        using var sso2 = cluster.ClientOf("sso2");
        await sso1.CreateApplicationAsync(new ApplicationDefinition
        {
            Name = "Sap",
            UserAccounts = [@"CORP\admin"],
            Fields = [new FieldDefinition("User Id"), new FieldDefinition("Password", Masked: true)],
        });
        await sso1.EnableApplicationAsync("Sap");
        await sso1.SetExternalCredentialsAsync("Sap", ["initial"], externalUser: "ADMIN01");
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var busyLookups = Task.Run(async () =>
        {
            var count = 0;
            while (!stop.IsCancellationRequested && count < 200_000)
            {
                try
                {
                    await sso2.GetCredentialsAsync("Sap", cancellationToken: stop.Token);
                    count++;
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }
            }

            return count;
        });

        // Act
        var stale = new List<string>();
        for (var i = 0; i < 50 && !stop.IsCancellationRequested; i++)
        {
            var value = $"password-{i}";
            await sso1.SetExternalCredentialsAsync("Sap", [value]);
            var seen = (await sso2.GetCredentialsAsync("Sap")).Credentials[0];
            if (seen != value)
            {
                stale.Add($"wrote {value}, sso2 answered {seen}");
            }
        }

        await stop.CancelAsync();

        // Assert
        Assert.True(await busyLookups > 50, "The busy lookups did not run, so sso2's lease was never warm.");
        Assert.Empty(stale);
    }

    [Fact]
    public async Task PromotionAfterLoss_RestoreOnAnotherNode_RecoversEveryValue()
    {
        // Arrange: 300 values, some written through an SSO server, then the master secret server's machine is lost.
        await using var cluster = await NodeCluster.CreateAsync("sso1");
        var ws = cluster.Workspace;
        var expected = await ConfigValues.WriteAsync(ws, "mss", "Erp", records: 10, perRecord: 15, seed: 7);
        await cluster.StartAllReadyAsync("mss", "sso1");
        using var sso1 = cluster.ClientOf("sso1");
        for (var i = 0; i < 150; i++)
        {
            await sso1.SetConfigInfoAsync("Erp", $"remote-{i}", new Dictionary<string, string> { ["v"] = $"value {i}" }, ["v"]);
            expected[($"remote-{i}", "v")] = $"value {i}";
        }

        await cluster.StopAsync("mss");
        await cluster.StopAsync("sso1");
        Directory.Delete(ws.HomeOf("mss"), recursive: true);

        // Act: promote sso1 from the backup.
        var lost = await ws.RunAsync("sso1", "config", "get", "Erp", "remote-0", "--runtime");
        await ws.OkAsync("sso1", "system", "update", "--secret-server", "sso1");
        await ws.OkAsync("sso1", "secret", "restore", ws.PathOf("b0.bak"), "--password-file", ws.PasswordFile);
        await cluster.StartReadyAsync("sso1");

        // Assert: before the promotion nothing could be read; after it, every value, checked one by one.
        Assert.NotEqual(0, lost.ExitCode);
        Assert.Contains("'mss'", lost.Stderr);
        await ConfigValues.AssertReadableAsync(ws, "sso1", "Erp", expected);
    }
}
