using System.Diagnostics;
using SsoVault.Core.Storage;

namespace SsoVault.Core.Tests.Storage;

/// <summary>
/// The two halves of the change-epoch lease: writers wait it out, readers trust a reading only for its length. The view
/// built on it (<see cref="LeasedChangeEpochs"/>) is tested against both providers in SsoDatabaseRepositoryTests.Lookup.
/// </summary>
public sealed class ChangeEpochLeaseTests
{
    [Fact]
    public async Task WaitOutAsync_ReturnsNoSoonerThanTheLease()
    {
        var committed = ChangeEpochLease.Now();

        await ChangeEpochLease.WaitOutAsync(committed);

        Assert.True(Stopwatch.GetElapsedTime(committed) >= ChangeEpochLease.Duration);
    }

    [Fact]
    public void IsValid_FreshReading_True_ExpiredReading_False()
    {
        var now = ChangeEpochLease.Now();
        var longAgo = now - (long)(Stopwatch.Frequency * ChangeEpochLease.Duration.TotalSeconds * 2);

        Assert.True(ChangeEpochLease.IsValid(now));
        Assert.False(ChangeEpochLease.IsValid(longAgo));
    }

    [Fact]
    public async Task Observe_OlderReading_DoesNotReplaceNewerOne()
    {
        var epochs = new LeasedChangeEpochs(null!);
        // Stamped a minute ahead, so the lease cannot run out while the test runs on a busy machine: the answers below
        // come from memory, and the null database is never touched.
        var later = ChangeEpochLease.Now() + Stopwatch.Frequency * 60;

        epochs.Observe("App", new ChangeEpochs(5, 7), later);
        epochs.Observe("App", new ChangeEpochs(4, 6), later - 1);

        Assert.Equal(new ChangeEpochs(5, 7), await epochs.ForApplicationAsync("app", CancellationToken.None));
        Assert.Equal(5, await epochs.ForSystemAsync(CancellationToken.None));
    }
}
