using System.Diagnostics;
using System.Text;

namespace SsoVault.Cli.Tests.Infrastructure;

/// <summary>
/// A real 'ssovault serve' process on 127.0.0.1 (port 0: the OS picks a free port, the server prints it). Every wait
/// is bounded; disposing kills the process tree and waits for it, so a failing test never leaves a server behind.
/// </summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(Process process) => _process = process;

    public string Url { get; private set; } = "";

    public string? Fingerprint { get; private set; }

    /// <summary>True once the process has ended (crashed or stopped): a server that must survive something checks this.</summary>
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_stdout)
            {
                return $"--- stdout ---\n{_stdout}\n--- stderr ---\n{_stderr}";
            }
        }
    }

    public static async Task<ServeProcess> StartAsync(string home, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ssovault.dll"));
        start.ArgumentList.Add("serve");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SSOVAULT_HOME"] = home;
        start.Environment.Remove("SSOVAULT_API_KEY");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var serve = new ServeProcess(Process.Start(start)!);
        serve.Pump();
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            var exited = serve._process.WaitForExitAsync(timeout.Token);
            var first = await Task.WhenAny(serve._listening.Task, exited);
            if (first != serve._listening.Task)
            {
                throw new InvalidOperationException($"ssovault serve did not start listening within {StartTimeout}.\n{serve.Output}");
            }

            serve.Url = await serve._listening.Task;
            return serve;
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls /v1/health/ready until 200, within a bounded time.</summary>
    public async Task WaitReadyAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(new Uri(Url), "/v1/health/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Not accepting connections yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The server never became ready.\n{Output}");
            }

            await Task.Delay(200);
        }
    }

    private void Pump()
    {
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_stdout)
            {
                _stdout.AppendLine(e.Data);
            }

            const string Fingerprint = "SHA-256 fingerprint: ";
            if (e.Data.StartsWith(Fingerprint, StringComparison.Ordinal))
            {
                this.Fingerprint = e.Data[Fingerprint.Length..].Trim();
            }

            if (e.Data.StartsWith("Listening on ", StringComparison.Ordinal))
            {
                _listening.TrySetResult(e.Data["Listening on ".Length..].Trim());
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stdout)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _process.StandardInput.Close();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }
}
