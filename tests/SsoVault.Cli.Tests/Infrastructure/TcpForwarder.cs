using System.Net;
using System.Net.Sockets;

namespace SsoVault.Cli.Tests.Infrastructure;

/// <summary>
/// A TCP forwarder on 127.0.0.1 in front of a real server, to simulate its outages without touching it:
/// <see cref="Cut"/> closes every connection and stops listening (new connections are refused), <see cref="BlackHole"/>
/// keeps accepting but moves no more bytes either way (a server or network that hangs), <see cref="Restore"/> forwards
/// again on the same port. Loopback only; disposing closes everything.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly object _lock = new();
    private readonly List<(TcpClient Client, TcpClient? Server)> _connections = [];
    private readonly CancellationTokenSource _stopping = new();
    private TcpListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    // Completed while bytes flow; a fresh, incomplete one while black-holed (pumps wait on it before each read and write).
    private TaskCompletionSource _flowing = Completed();

    private TcpForwarder(IPEndPoint target) => _target = target;

    /// <summary>The port to connect to instead of the target's.</summary>
    public int Port { get; private set; }

    public static TcpForwarder Start(string targetHost, int targetPort)
    {
        var forwarder = new TcpForwarder(new IPEndPoint(IPAddress.Parse(targetHost), targetPort));
        forwarder.Listen(0);
        return forwarder;
    }

    /// <summary>The server "goes down": open connections are reset, new ones refused.</summary>
    public void Cut()
    {
        lock (_lock)
        {
            StopListening();
            CloseAll();
        }
    }

    /// <summary>The server "hangs": connections are accepted (and kept) but nothing is forwarded, in either direction.</summary>
    public void BlackHole()
    {
        lock (_lock)
        {
            if (_flowing.Task.IsCompleted)
            {
                _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>The server is back: listening on the same port, bytes flow again.</summary>
    public void Restore()
    {
        lock (_lock)
        {
            if (_listener is null)
            {
                Listen(Port);
            }

            _flowing.TrySetResult();
        }
    }

    /// <summary>Connections currently open through the forwarder.</summary>
    public int OpenConnections
    {
        get
        {
            lock (_lock)
            {
                return _connections.Count;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _stopping.Cancel();
            StopListening();
            CloseAll();
            _flowing.TrySetResult();
        }

        await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    private void Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        // The same port again after Cut, while the old connections may still be in TIME_WAIT.
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync(listener);
    }

    private void StopListening()
    {
        _listener?.Stop();
        _listener = null;
    }

    private void CloseAll()
    {
        foreach (var (client, server) in _connections)
        {
            Reset(client);
            if (server is not null)
            {
                Reset(server);
            }
        }

        _connections.Clear();
    }

    /// <summary>Closes with RST (linger 0), as a crashed server's host would.</summary>
    private static void Reset(TcpClient client)
    {
        try
        {
            client.Client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        client.Dispose();
    }

    private async Task AcceptLoopAsync(TcpListener listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                return; // Stopped listening (Cut or Dispose).
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var entry = (Client: client, Server: (TcpClient?)null);
        lock (_lock)
        {
            _connections.Add(entry);
        }

        var server = new TcpClient();
        try
        {
            await FlowingAsync();
            await server.ConnectAsync(_target, _stopping.Token);
            lock (_lock)
            {
                var index = _connections.IndexOf(entry);
                if (index < 0)
                {
                    // Cut while connecting.
                    server.Dispose();
                    return;
                }

                _connections[index] = entry = (client, server);
            }

            var up = PumpAsync(client.GetStream(), server.GetStream());
            var down = PumpAsync(server.GetStream(), client.GetStream());
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The connection ended one way or another.
        }
        finally
        {
            lock (_lock)
            {
                _connections.Remove(entry);
            }

            client.Dispose();
            server.Dispose();
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                await FlowingAsync();
                var read = await from.ReadAsync(buffer, _stopping.Token);
                if (read == 0)
                {
                    return;
                }

                // Bytes read just before a black-hole wait here: delayed, never lost, like a stalled network.
                await FlowingAsync();
                await to.WriteAsync(buffer.AsMemory(0, read), _stopping.Token);
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Closed by either side, or by Cut.
        }
    }

    private Task FlowingAsync()
    {
        Task flowing;
        lock (_lock)
        {
            flowing = _flowing.Task;
        }

        return flowing.WaitAsync(_stopping.Token);
    }
}
