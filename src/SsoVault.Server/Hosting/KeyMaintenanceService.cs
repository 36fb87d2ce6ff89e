using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SsoVault.Core.Errors;
using SsoVault.Core.Identity;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Storage;
using SsoVault.Server.Diagnostics;

namespace SsoVault.Server.Hosting;

/// <summary>When and how the server maintains the key ring in the background.</summary>
public sealed record KeyMaintenanceOptions
{
    /// <summary>How often to look for work (an unfinished re-encryption job, a data key due for rotation).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Rotate the data key once it is older than this (the secret server only; null: never by age).</summary>
    public TimeSpan? DataKeyMaxAge { get; init; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How the job shares the machine: it rests three times as long as it works, which kept 85 % of lookup throughput
    /// while still moving about 14,000 values/s in the benchmarks (docs/benchmarks.md).
    /// </summary>
    public ReencryptionOptions Reencryption { get; init; } = new(RestFactor: 3);
}

/// <summary>
/// Keeps the key ring healthy without anyone watching: resumes any unfinished re-encryption job (after a crash, a
/// restart, or a rotation made elsewhere) and, on the master secret server, rotates the data key before the AES-GCM
/// encryption limit or after its maximum age. Every failure is logged and retried at the next interval; none stops
/// the server.
/// </summary>
internal sealed class KeyMaintenanceService(SharedNode shared, KeyMaintenanceOptions options, TimeProvider clock, ILogger<KeyMaintenanceService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval, clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (SsoException e)
            {
                logger.KeyMaintenanceDeferred(e.Code.ToString(), e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round: rotate if due, then move values until the job is done (or the server stops).</summary>
    internal async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var node = await shared.GetAsync(cancellationToken);
        if (await RotationDueAsync(node, cancellationToken) is { } reason)
        {
            var rotated = await DataKeyRotation.RotateAsync(node, Caller.LocalOperator, cancellationToken);
            logger.DataKeyRotatedAutomatically(rotated.NewKeyId, reason);
        }

        var result = await ReencryptionJob.RunAsync(node, options.Reencryption, null, cancellationToken);
        if (result is { Finished: true, Processed: > 0 })
        {
            logger.ReencryptionCompleted(result.JobId, result.Processed, result.Skipped);
        }
    }

    /// <summary>Why the active data key must be replaced now, or null. Only the secret server can wrap a new key.</summary>
    private async Task<string?> RotationDueAsync(Core.Nodes.SsoNode node, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
        var info = await node.GetSystemInfoAsync(transaction, cancellationToken);
        if (!node.IsSecretServer(info))
        {
            return null;
        }

        var active = (await transaction.DataKeys.ListAsync(cancellationToken)).Where(k => k.State == DataKeyState.Active).MaxBy(k => k.Id);
        if (active is null)
        {
            return null;
        }

        if (active.Encryptions >= DataKeyRetirement.EncryptionLimit)
        {
            return $"{active.Encryptions:N0} encryptions under data key {active.Id}";
        }

        var age = clock.GetUtcNow() - active.CreatedUtc;
        return options.DataKeyMaxAge is { } maxAge && age > maxAge ? $"data key {active.Id} is {(int)age.TotalDays} days old" : null;
    }
}
