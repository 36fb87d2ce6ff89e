using Microsoft.Extensions.Logging;
using SsoVault.Core.Crypto;
using SsoVault.Core.Errors;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Secrets;
using SsoVault.Core.Storage;

namespace SsoVault.Core.Nodes;

/// <summary>
/// An opened node: its settings, its database, its local secret store, a clock and a logger. Everything the
/// procedures need, built once per command (or once per server process).
/// </summary>
public sealed class SsoNode : IAsyncDisposable
{
    private readonly SemaphoreSlim _keyRingGate = new(1, 1);
    private KeyRing? _keyRing;

    private SsoNode(NodeHome home, NodeSettings settings, ISsoDatabase database, TimeProvider clock, ILogger logger)
    {
        Home = home;
        Settings = settings;
        Database = database;
        Clock = clock;
        Logger = logger;
        SecretStore = new LocalSecretStore(home.SecretsDirectory);
        Epochs = new LeasedChangeEpochs(database);
    }

    public NodeHome Home { get; }
    public NodeSettings Settings { get; }
    public ISsoDatabase Database { get; }
    public LocalSecretStore SecretStore { get; }
    public TimeProvider Clock { get; }
    public ILogger Logger { get; }

    public string Name => Settings.NodeName;

    /// <summary>The committed change epochs as this node last read them, trusted for a lease (what its caches validate against).</summary>
    public LeasedChangeEpochs Epochs { get; }

    /// <summary>This node's cache of lookup answers (see <see cref="Applications.CredentialCache"/>).</summary>
    public Applications.CredentialCache CredentialCache { get; } = new();

    /// <summary>This node's cache of application contexts for lookups (see <see cref="Applications.ApplicationContextCache"/>).</summary>
    public Applications.ApplicationContextCache ApplicationContexts { get; } = new();

    /// <summary>This node's cache of authenticated API keys (see <see cref="Identity.ApiKeyCache"/>).</summary>
    public Identity.ApiKeyCache ApiKeys { get; } = new();

    /// <summary>
    /// The unwrapped key ring, loaded on first use and kept for the node's lifetime (one command in the CLI, the whole
    /// process in a server): unwrapping costs a database read and an HKDF per data key, values need it on every call.
    /// </summary>
    /// <remarks>Once loaded, answered without an await or an allocation: lookups ask on every call.</remarks>
    public ValueTask<KeyRing> GetKeyRingAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _keyRing) is { } ring ? ValueTask.FromResult(ring) : new ValueTask<KeyRing>(LoadKeyRingOnceAsync(cancellationToken));

    private async Task<KeyRing> LoadKeyRingOnceAsync(CancellationToken cancellationToken)
    {
        await _keyRingGate.WaitAsync(cancellationToken);
        try
        {
            return _keyRing ??= await KeyRingLoader.LoadAsync(this, cancellationToken);
        }
        finally
        {
            _keyRingGate.Release();
        }
    }

    /// <summary>
    /// Forgets the key ring (after a restore or a new data key) so the next use reloads it. The old ring is not disposed:
    /// concurrent requests may still be using its keys; the garbage collector reclaims it.
    /// </summary>
    public void InvalidateKeyRing() => Interlocked.Exchange(ref _keyRing, null);

    /// <summary>
    /// Loads the key ring again and swaps it in only when that succeeds: a node whose master secret server is down keeps
    /// serving with the keys it holds. Throws what the load threw.
    /// </summary>
    public async Task<KeyRing> RefreshKeyRingAsync(CancellationToken cancellationToken, bool allowRemote = true)
    {
        await _keyRingGate.WaitAsync(cancellationToken);
        try
        {
            var ring = await KeyRingLoader.LoadAsync(this, cancellationToken, allowRemote);
            Volatile.Write(ref _keyRing, ring);
            return ring;
        }
        finally
        {
            _keyRingGate.Release();
        }
    }

    /// <summary>The ring already in memory, without loading anything (null before the first load).</summary>
    public KeyRing? LoadedKeyRing => Volatile.Read(ref _keyRing);

    /// <summary>
    /// The key ring to encrypt with inside a write transaction: if another node or process has made a newer data key
    /// active since this ring was loaded, the ring is reloaded, so new values go under the newest key. A node that must
    /// ask the master secret server for it does so in the background, never while it holds the write lock (the secret
    /// server needs that lock to audit the request: both would wait for each other), and meanwhile — as when the
    /// secret server is down — writes go on under the key in memory: the re-encryption job moves those values later,
    /// and refusing writes is what this design exists to avoid.
    /// </summary>
    public async Task<KeyRing> GetKeyRingForWritingAsync(ISsoTransaction transaction, CancellationToken cancellationToken)
    {
        var ring = await GetKeyRingAsync(cancellationToken);
        var active = (await transaction.DataKeys.ListAsync(cancellationToken)).Where(k => k.State == DataKeyState.Active).Select(k => k.Id)
            .DefaultIfEmpty(ring.Current.Id).Max();
        if (active == ring.Current.Id)
        {
            return ring;
        }

        try
        {
            return await RefreshKeyRingAsync(cancellationToken, allowRemote: false);
        }
        catch (SsoException e) when (e.Code is SsoErrorCode.SecretUnavailable or SsoErrorCode.NodeNotApproved)
        {
            Diagnostics.Log.KeyRingReloadFailed(Logger, e.Code.ToString(), $"writing under data key {ring.Current.Id} instead of {active}");
            _ = Task.Run(RefreshQuietlyAsync, CancellationToken.None);
            return ring;
        }
    }

    private async Task RefreshQuietlyAsync()
    {
        try
        {
            await RefreshKeyRingAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is SsoException or ObjectDisposedException)
        {
            // The node's poll retries; the failure was logged where it happened or is reported by readiness.
        }
    }

    /// <summary>Decrypts a value; a data key newer than the loaded ring (made by another node) triggers one reload.</summary>
    public async Task<byte[]> DecryptAsync(RecordIdentity record, byte[] envelope, CancellationToken cancellationToken)
    {
        var ring = await GetKeyRingAsync(cancellationToken);
        if (ValueEnvelope.TryReadKeyId(envelope) is { } keyId && ring.Find(keyId) is null)
        {
            ring = await RefreshKeyRingAsync(cancellationToken);
        }

        return ring.Decrypt(record, envelope);
    }

    /// <summary>Who runs the command, for the audit trail: the OS user on this node.</summary>
    public string Actor => $"{Environment.UserName}@{Settings.NodeName}";

    public static async Task<SsoNode> OpenAsync(NodeHome home, ISsoDatabaseProvider provider, TimeProvider clock,
        ILogger logger, CancellationToken cancellationToken)
    {
        var settings = NodeSettings.Load(home);
        var database = await provider.OpenAsync(settings.Database, create: false, cancellationToken);
        return new SsoNode(home, settings, database, clock, logger);
    }

    internal static SsoNode Create(NodeHome home, NodeSettings settings, ISsoDatabase database, TimeProvider clock, ILogger logger) =>
        new(home, settings, database, clock, logger);

    /// <summary>Reads the global info, checking that the database belongs to the system this node joined.</summary>
    public async Task<SystemInfo> GetSystemInfoAsync(ISsoTransaction transaction, CancellationToken cancellationToken)
    {
        var info = await transaction.System.GetAsync(cancellationToken) ?? throw new SsoException(
            SsoErrorCode.DatabaseUnavailable,
            $"The database {Database.DisplayLocation} holds no SSO system.",
            "Check the node's database setting, or create a system with 'ssovault init'.");
        if (info.SystemId != Settings.SystemId)
        {
            throw new SsoException(SsoErrorCode.DatabaseUnavailable,
                $"The database {Database.DisplayLocation} holds SSO system {info.SystemId}, but this node joined system {Settings.SystemId}.",
                "Point the node at its own database, or join this database into a new node folder.");
        }

        return info;
    }

    /// <summary>True when the database names this node as the master secret server (names are case-insensitive).</summary>
    public bool IsSecretServer(SystemInfo info) => string.Equals(info.SecretServer, Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>Refuses, naming the real secret server, unless this node is it (ENTSSO_E_NOT_SECRET_SERVER, 10766).</summary>
    public void RequireSecretServer(SystemInfo info, string operation)
    {
        if (!IsSecretServer(info))
        {
            throw new SsoException(SsoErrorCode.NotSecretServer,
                $"{operation} runs only on the master secret server, which is node '{info.SecretServer}'; this is node '{Name}'.",
                $"Run it on '{info.SecretServer}'. If that node is lost, make this node the secret server with " +
                $"'ssovault system update --secret-server {Name}', then restore the backup here with 'ssovault secret restore FILE'.");
        }
    }

    public ValueTask DisposeAsync()
    {
        _keyRing?.Dispose();
        _keyRingGate.Dispose();
        return Database.DisposeAsync();
    }
}
