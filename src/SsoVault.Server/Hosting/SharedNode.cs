using Microsoft.Extensions.Logging;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;

namespace SsoVault.Server.Hosting;

/// <summary>
/// The server's one opened node, shared by every request. This is safe because the SQLite database gives each
/// transaction its own pooled connection and the node caches its key ring behind a lock; one node also means the key
/// ring is unwrapped once per process instead of once per pooled node. Opening is retried on the next request when it
/// fails (a database that is briefly unavailable must not poison the process).
/// </summary>
internal sealed class SharedNode(NodeHome home, ISsoDatabaseProvider provider, TimeProvider clock, ILogger logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SsoNode? _node;
    private bool _disposed;

    public NodeHome Home { get; } = home;

    public async Task<SsoNode> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _node) is { } node)
        {
            return node;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _node ??= await SsoNode.OpenAsync(Home, provider, clock, logger, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _disposed = true;
            if (_node is { } node)
            {
                _node = null;
                await node.DisposeAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
