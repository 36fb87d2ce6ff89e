using System.Text;
using Microsoft.Extensions.Time.Testing;
using SsoVault.Core.ConfigStore;
using SsoVault.Core.Errors;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;
using SsoVault.Core.Tests.MasterSecrets;

namespace SsoVault.Core.Tests.ConfigStore;

/// <summary>The config store end to end, in process, on a real node (SQLite file, local secret store).</summary>
[Collection(NodeTemplateCollection.Name)]
public sealed class ConfigStoreServiceTests(NodeTemplateFixture template) : IAsyncLifetime
{
    private static readonly string[] NoMask = [];

    private readonly FakeTimeProvider _clock = new(NodeTemplateFixture.CreatedUtc.AddDays(3));
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));
    private TestNode? _testNode;

    private SsoNode Node => _testNode!.Node;

    private CancellationToken Ct => _timeout.Token;

    public async Task InitializeAsync() => _testNode = await template.CloneAsync(_clock);

    public async Task DisposeAsync()
    {
        if (_testNode is not null)
        {
            await _testNode.DisposeAsync();
        }

        _timeout.Dispose();
    }

    [Fact]
    public async Task SetAsync_NewApplication_CreatesItAndStoresEveryProperty()
    {
        var result = await SetAsync("MyApp", "ConfigProperties", [("Server", "db01"), ("Port", "5432")]);

        Assert.Equal(new ConfigSetResult("MyApp", "ConfigProperties", ApplicationCreated: true, PropertiesSet: 2, PropertiesTotal: 2), result);
        var record = await ConfigStoreService.GetAsync(Node, Caller.LocalOperator, "MyApp", "ConfigProperties", runtime: false, Ct);
        Assert.Equal([("Server", "db01"), ("Port", "5432")], record.Properties.Select(p => (p.Name, p.Value)));
        Assert.All(record.Properties, p => Assert.Equal(_clock.GetUtcNow(), p.UpdatedUtc));
    }

    [Fact]
    public async Task GetAsync_AdminRead_HidesMaskedValues()
    {
        await SetAsync("MyApp", "rec", [("User", "svc"), ("Password", "s3cret!")], masked: ["Password"]);

        var record = await ConfigStoreService.GetAsync(Node, Caller.LocalOperator, "MyApp", "rec", runtime: false, Ct);

        Assert.False(record.Runtime);
        var password = record.Properties.Single(p => p.Name == "Password");
        Assert.True(password.Masked);
        Assert.Null(password.Value);
        Assert.Equal("svc", record.Properties.Single(p => p.Name == "User").Value);
    }

    [Fact]
    public async Task GetAsync_RuntimeRead_ShowsMaskedValues()
    {
        await SetAsync("MyApp", "rec", [("User", "svc"), ("Password", "s3cret!")], masked: ["Password"]);

        var record = await ConfigStoreService.GetAsync(Node, Caller.LocalOperator, "MyApp", "rec", runtime: true, Ct);

        Assert.True(record.Runtime);
        var password = record.Properties.Single(p => p.Name == "Password");
        Assert.True(password.Masked);
        Assert.Equal("s3cret!", password.Value);
    }

    [Fact]
    public async Task SetAsync_SecondSetWithSomeProperties_IsAPartialUpdate()
    {
        await SetAsync("MyApp", "rec", [("A", "1"), ("B", "2"), ("C", "3")]);
        _clock.Advance(TimeSpan.FromHours(1));

        var result = await SetAsync("MyApp", "rec", [("B", "two"), ("D", "4")]);

        Assert.False(result.ApplicationCreated);
        Assert.Equal(2, result.PropertiesSet);
        Assert.Equal(4, result.PropertiesTotal);
        var record = await ConfigStoreService.GetAsync(Node, Caller.LocalOperator, "MyApp", "rec", runtime: true, Ct);
        Assert.Equal([("A", "1"), ("B", "two"), ("C", "3"), ("D", "4")], record.Properties.Select(p => (p.Name, p.Value)));
        Assert.Equal(_clock.GetUtcNow(), record.Properties.Single(p => p.Name == "B").UpdatedUtc);
        Assert.Equal(_clock.GetUtcNow().AddHours(-1), record.Properties.Single(p => p.Name == "A").UpdatedUtc);
    }

    [Fact]
    public async Task SetAsync_MaskedPropertySetAgainWithoutMask_StaysMasked()
    {
        await SetAsync("MyApp", "rec", [("Password", "old")], masked: ["Password"]);

        await SetAsync("MyApp", "rec", [("Password", "new")]);

        var admin = await ConfigStoreService.GetAsync(Node, Caller.LocalOperator, "MyApp", "rec", runtime: false, Ct);
        var runtime = await ConfigStoreService.GetAsync(Node, Caller.LocalOperator, "MyApp", "rec", runtime: true, Ct);
        Assert.True(admin.Properties.Single().Masked);
        Assert.Null(admin.Properties.Single().Value);
        Assert.Equal("new", runtime.Properties.Single().Value);
    }

    [Fact]
    public async Task SetAsync_ApplicationNameInOtherCase_UsesTheExistingApplication()
    {
        await SetAsync("MyApp", "rec", [("A", "1")]);

        var result = await SetAsync("MYAPP", "rec", [("B", "2")]);

        Assert.False(result.ApplicationCreated);
        Assert.Equal("MyApp", result.Application);
        var record = await ConfigStoreService.GetAsync(Node, Caller.LocalOperator, "myapp", "rec", runtime: false, Ct);
        Assert.Equal("MyApp", record.Application);
        Assert.Equal(["A", "B"], record.Properties.Select(p => p.Name));
    }

    [Fact]
    public async Task SetAsync_UnicodeAndEmptyValues_RoundTrip()
    {
        await SetAsync("MyApp", "rec", [("Greeting", "Grüße, 世界 👋"), ("Empty", "")]);

        var record = await ConfigStoreService.GetAsync(Node, Caller.LocalOperator, "MyApp", "rec", runtime: false, Ct);

        Assert.Equal(["Grüße, 世界 👋", ""], record.Properties.Select(p => p.Value));
    }

    [Fact]
    public async Task SetAsync_Values_StoredEncryptedNotInPlaintext()
    {
        const string Value = "plaintext-marker-0123456789";
        await SetAsync("MyApp", "rec", [("Secret", Value)]);

        await using var tx = await Node.Database.BeginAsync(Ct);
        var stored = Assert.Single(await tx.Config.GetPropertiesAsync("MyApp", "rec", Ct));

        Assert.False(stored.Envelope.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Value)) >= 0);
        Assert.True(stored.Envelope.Length > Value.Length);
    }

    [Fact]
    public async Task GetAsync_EnvelopeCopiedToAnotherProperty_DecryptionFailed()
    {
        await SetAsync("MyApp", "rec", [("A", "alpha"), ("B", "beta")]);
        await using (var tx = await Node.Database.BeginAsync(Ct))
        {
            var properties = await tx.Config.GetPropertiesAsync("MyApp", "rec", Ct);
            await tx.Config.UpsertPropertyAsync("MyApp", "rec", properties[1] with { Envelope = properties[0].Envelope }, Ct);
            await tx.CommitAsync(Ct);
        }

        var error = await Assert.ThrowsAsync<SsoException>(() => ConfigStoreService.GetAsync(Node, Caller.LocalOperator, "MyApp", "rec", runtime: true, Ct));

        Assert.Equal(SsoErrorCode.DecryptionFailed, error.Code);
    }

    [Fact]
    public async Task GetAsync_UnknownApplication_NotFound()
    {
        var error = await Assert.ThrowsAsync<SsoException>(() => ConfigStoreService.GetAsync(Node, Caller.LocalOperator, "Nope", "rec", runtime: false, Ct));

        Assert.Equal(SsoErrorCode.NotFound, error.Code);
        Assert.Contains("'Nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_UnknownRecord_NotFound()
    {
        await SetAsync("MyApp", "rec", [("A", "1")]);

        var error = await Assert.ThrowsAsync<SsoException>(() => ConfigStoreService.GetAsync(Node, Caller.LocalOperator, "MyApp", "other", runtime: false, Ct));

        Assert.Equal(SsoErrorCode.NotFound, error.Code);
        Assert.Contains("'other'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetAsync_NoProperty_InvalidInput()
    {
        var error = await Assert.ThrowsAsync<SsoException>(() => SetAsync("MyApp", "rec", []));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
    }

    [Fact]
    public async Task SetAsync_SamePropertyTwice_InvalidInputAndNothingStored()
    {
        var error = await Assert.ThrowsAsync<SsoException>(() => SetAsync("MyApp", "rec", [("A", "1"), ("A", "2")]));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        await AssertNoApplicationAsync("MyApp");
    }

    [Fact]
    public async Task SetAsync_MaskedNameNotBeingSet_InvalidInputAndNothingStored()
    {
        var error = await Assert.ThrowsAsync<SsoException>(() => SetAsync("MyApp", "rec", [("A", "1")], masked: ["B"]));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        Assert.Contains("'B'", error.Message, StringComparison.Ordinal);
        await AssertNoApplicationAsync("MyApp");
    }

    [Theory]
    [InlineData("My App", "rec", "A")]
    [InlineData("MyApp", "", "A")]
    [InlineData("MyApp", "rec", "A=B")]
    [InlineData("MyApp", "rec", "has space")]
    public async Task SetAsync_InvalidName_InvalidInputAndNothingStored(string application, string identifier, string property)
    {
        var error = await Assert.ThrowsAsync<SsoException>(() => SetAsync(application, identifier, [("Ok", "1"), (property, "v")]));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        await AssertNoApplicationAsync("MyApp");
    }

    [Fact]
    public async Task SetAsync_ValueOver64KiB_InvalidInputAndNothingStored()
    {
        var error = await Assert.ThrowsAsync<SsoException>(() =>
            SetAsync("MyApp", "rec", [("Small", "1"), ("Big", new string('x', ConfigNames.MaxValueBytes + 1))]));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        await AssertNoApplicationAsync("MyApp");
    }

    [Fact]
    public async Task DeleteAsync_OneProperty_RemovesOnlyIt()
    {
        await SetAsync("MyApp", "rec", [("A", "1"), ("B", "2")]);

        var removed = await ConfigStoreService.DeleteAsync(Node, Caller.LocalOperator, "myapp", "rec", "A", Ct);

        Assert.Equal(1, removed);
        var record = await ConfigStoreService.GetAsync(Node, Caller.LocalOperator, "MyApp", "rec", runtime: false, Ct);
        Assert.Equal(["B"], record.Properties.Select(p => p.Name));
    }

    [Fact]
    public async Task DeleteAsync_WholeRecord_ThenGetIsNotFound()
    {
        await SetAsync("MyApp", "rec", [("A", "1"), ("B", "2")]);

        var removed = await ConfigStoreService.DeleteAsync(Node, Caller.LocalOperator, "MyApp", "rec", null, Ct);

        Assert.Equal(2, removed);
        var error = await Assert.ThrowsAsync<SsoException>(() => ConfigStoreService.GetAsync(Node, Caller.LocalOperator, "MyApp", "rec", runtime: false, Ct));
        Assert.Equal(SsoErrorCode.NotFound, error.Code);
    }

    [Fact]
    public async Task DeleteAsync_MissingPropertyOrRecord_NotFound()
    {
        await SetAsync("MyApp", "rec", [("A", "1")]);

        var property = await Assert.ThrowsAsync<SsoException>(() => ConfigStoreService.DeleteAsync(Node, Caller.LocalOperator, "MyApp", "rec", "Z", Ct));
        var record = await Assert.ThrowsAsync<SsoException>(() => ConfigStoreService.DeleteAsync(Node, Caller.LocalOperator, "MyApp", "nope", null, Ct));
        var app = await Assert.ThrowsAsync<SsoException>(() => ConfigStoreService.DeleteAsync(Node, Caller.LocalOperator, "Nope", "rec", null, Ct));

        Assert.Equal(SsoErrorCode.NotFound, property.Code);
        Assert.Equal(SsoErrorCode.NotFound, record.Code);
        Assert.Equal(SsoErrorCode.NotFound, app.Code);
    }

    [Fact]
    public async Task ListAsync_SeveralApplications_ListsIdentifiersWithCounts()
    {
        await SetAsync("Beta", "r1", [("A", "1")]);
        await SetAsync("Alpha", "r2", [("A", "1"), ("B", "2")]);
        await SetAsync("Alpha", "r1", [("A", "1")]);

        var all = await ConfigStoreService.ListAsync(Node, Caller.LocalOperator, null, Ct);
        var one = await ConfigStoreService.ListAsync(Node, Caller.LocalOperator, "ALPHA", Ct);

        Assert.Equal(["Alpha", "Beta"], all.Select(a => a.Application));
        Assert.Equal([("r1", 1), ("r2", 2)], all[0].Identifiers);
        Assert.Equal("Alpha", Assert.Single(one).Application);
    }

    [Fact]
    public async Task SetAsync_ApplicationOfAnotherType_InvalidInput()
    {
        await using (var tx = await Node.Database.BeginAsync(Ct))
        {
            await tx.Applications.AddAsync(new ApplicationRecord("Affiliate", ApplicationType.Individual, 0, _clock.GetUtcNow()), Ct);
            await tx.CommitAsync(Ct);
        }

        var set = await Assert.ThrowsAsync<SsoException>(() => SetAsync("Affiliate", "rec", [("A", "1")]));
        var get = await Assert.ThrowsAsync<SsoException>(() => ConfigStoreService.GetAsync(Node, Caller.LocalOperator, "Affiliate", "rec", runtime: false, Ct));

        Assert.Equal(SsoErrorCode.InvalidInput, set.Code);
        Assert.Equal(SsoErrorCode.InvalidInput, get.Code);
    }

    [Fact]
    public async Task SetAsync_StoreMissing_SecretUnavailableAndNothingStored()
    {
        File.Delete(Node.SecretStore.FilePath);

        var error = await Assert.ThrowsAsync<SsoException>(() => SetAsync("MyApp", "rec", [("A", "1")]));

        Assert.Equal(SsoErrorCode.SecretUnavailable, error.Code);
        await AssertNoApplicationAsync("MyApp");
    }

    [Fact]
    public async Task SetAsync_Success_WritesAnAuditEvent()
    {
        await SetAsync("MyApp", "rec", [("A", "1")]);

        await using var tx = await Node.Database.BeginAsync(Ct);
        var latest = (await tx.Audit.ListRecentAsync(1, Ct))[0];

        Assert.Contains("MyApp/rec", latest.Message, StringComparison.Ordinal);
        Assert.Equal(NodeTemplateFixture.NodeName, latest.Node);
        Assert.DoesNotContain("=1", latest.Message, StringComparison.Ordinal);
    }

    private Task<ConfigSetResult> SetAsync(string application, string identifier, (string Name, string Value)[] values,
        string[]? masked = null) =>
        ConfigStoreService.SetAsync(Node, Caller.LocalOperator, application, identifier,
            values.Select(v => KeyValuePair.Create(v.Name, v.Value)).ToList(), masked ?? NoMask, Ct);

    private async Task AssertNoApplicationAsync(string application)
    {
        await using var tx = await Node.Database.BeginAsync(Ct);
        Assert.Null(await tx.Applications.FindAsync(application, Ct));
    }
}
