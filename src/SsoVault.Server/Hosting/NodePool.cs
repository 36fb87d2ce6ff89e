using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;

namespace SsoVault.Server.Hosting;

/// <summary>
/// Opened nodes for concurrent requests. An <see cref="SsoNode"/> holds one database connection, which runs one
/// transaction at a time, so each request rents its own node and returns it when the response is done. Idle nodes are
/// kept (up to <see cref="MaxIdle"/>) so that a request does not pay for opening the database and reading node.json.
/// </summary>
internal sealed class NodePool(NodeHome home, ISsoDatabaseProvider provider, TimeProvider clock, ILogger logger) : IAsyncDisposable
{
    private const int MaxIdle = 16;
    private readonly ConcurrentBag<SsoNode> _idle = [];
    private int _disposed;

    public NodeHome Home { get; } = home;

    public async Task<Lease> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var node = _idle.TryTake(out var idle) ? idle : await SsoNode.OpenAsync(Home, provider, clock, logger, cancellationToken);
        return new Lease(this, node);
    }

    private async ValueTask ReturnAsync(SsoNode node)
    {
        if (Volatile.Read(ref _disposed) == 0 && _idle.Count < MaxIdle)
        {
            _idle.Add(node);
            return;
        }

        await node.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _disposed, 1);
        while (_idle.TryTake(out var node))
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>One rented node; disposing it gives the node back.</summary>
    public sealed class Lease(NodePool pool, SsoNode node) : IAsyncDisposable
    {
        private int _returned;

        public SsoNode Node { get; } = node;

        public ValueTask DisposeAsync() => Interlocked.Exchange(ref _returned, 1) == 0 ? pool.ReturnAsync(Node) : ValueTask.CompletedTask;
    }
}
