using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SsoVault.Core.Errors;
using SsoVault.Core.Nodes;
using SsoVault.Server.Diagnostics;

namespace SsoVault.Server.Hosting;

/// <summary>How the server follows the shared database.</summary>
public sealed record NodeSyncOptions
{
    /// <summary>How often to poll the global info (ENTSSO's servers poll every 60 s; we default to 30 s).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The address other nodes reach this server at; null: the first https address it listens on.</summary>
    public string? AdvertisedUrl { get; init; }

    /// <summary>The fingerprint of the certificate this server presents (null without TLS: other nodes cannot reach it).</summary>
    public string? CertificateSha256 { get; init; }
}

/// <summary>What the last poll saw, for readiness and status.</summary>
public sealed class NodeSyncState
{
    private volatile string? _waitingFor;

    /// <summary>Why the key ring is not (fully) loaded, naming the server and keys; null when it is.</summary>
    public string? WaitingFor
    {
        get => _waitingFor;
        internal set => _waitingFor = value;
    }

    public DateTimeOffset? LastPollUtc { get; internal set; }
}

/// <summary>
/// Makes a server follow the shared database without restart: at start it records where it listens (so other nodes
/// can reach it) and loads its key ring; then every poll interval it reads the global info and follows a new master
/// secret server and new data keys. (SSO switched off, roles and mappings need no poll: every request checks them
/// against the database's change epochs.) When the master secret server is down it keeps the
/// keys it holds in memory, so lookups and writes go on; it retries at every poll.
/// </summary>
internal sealed class NodeSyncService(SharedNode shared, NodeSyncOptions options, NodeSyncState state, IServer server,
    IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<NodeSyncService> logger) : BackgroundService
{
    private string? _secretServer;
    private bool _registered;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The listening addresses are known only once the server has started.
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        }

        using var timer = new PeriodicTimer(options.PollInterval, clock);
        do
        {
            try
            {
                await PollOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (SsoException e)
            {
                // The database is down, or this node is not set up: readiness reports it; the next poll retries.
                state.WaitingFor ??= e.Message;
                logger.WaitingForKeys(e.Code.ToString(), e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        var node = await shared.GetAsync(cancellationToken);
        if (!_registered)
        {
            await RegisterAsync(node, cancellationToken);
        }

        Core.Storage.SystemInfo info;
        IReadOnlyList<uint> keyIds;
        await using (var transaction = await node.Database.BeginReadAsync(cancellationToken))
        {
            info = await node.GetSystemInfoAsync(transaction, cancellationToken);
            keyIds = (await transaction.DataKeys.ListAsync(cancellationToken)).Select(k => k.Id).ToList();
        }

        state.LastPollUtc = clock.GetUtcNow();
        if (_secretServer is not null && !string.Equals(_secretServer, info.SecretServer, StringComparison.OrdinalIgnoreCase))
        {
            logger.FollowingSecretServer(info.SecretServer, _secretServer);
        }

        _secretServer = info.SecretServer;
        var ring = node.LoadedKeyRing;
        if (ring is not null && keyIds.All(id => ring.Find(id) is not null))
        {
            state.WaitingFor = null;
            return;
        }

        try
        {
            ring = await node.RefreshKeyRingAsync(cancellationToken);
            state.WaitingFor = null;
            logger.KeyRingFollowed(string.Join(", ", ring.KeyIds.Order()));
        }
        catch (SsoException e)
        {
            state.WaitingFor = e.Hint is null ? e.Message : $"{e.Message} {e.Hint}";
            logger.WaitingForKeys(e.Code.ToString(), e.Message);
        }
    }

    private async Task RegisterAsync(SsoNode node, CancellationToken cancellationToken)
    {
        var address = options.AdvertisedUrl ?? server.Features.Get<IServerAddressesFeature>()?.Addresses
            .FirstOrDefault(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        if (address is null || options.CertificateSha256 is null)
        {
            _registered = true; // plain HTTP only: other nodes cannot pin this server, so it advertises nothing.
            return;
        }

        try
        {
            using var identity = NodeIdentity.LoadOrCreate(node.Home);
            await NodeTrust.RegisterEndpointAsync(node, identity.PublicKey, address.TrimEnd('/'), options.CertificateSha256, cancellationToken);
            _registered = true;
        }
        catch (SsoException e) when (e.Code is SsoErrorCode.NodeNotApproved)
        {
            logger.EndpointNotRegistered(e.Code.ToString(), e.Message);
            state.WaitingFor = $"{e.Message} {e.Hint}";
            throw;
        }
    }
}
