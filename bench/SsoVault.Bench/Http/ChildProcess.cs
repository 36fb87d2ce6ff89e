using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SsoVault.Bench.Http;

/// <summary>
/// A server the bench starts as its own process (<c>dotnet ssovault.dll serve ...</c> or
/// <c>dotnet ssovault-bench.dll --minimal-server ...</c>), on 127.0.0.1 only. Disposing kills it (and anything it
/// started) and waits for it, so a failed or cancelled run leaves no process behind.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private ChildProcess(Process process, Uri baseUri, Stopwatch started)
    {
        _process = process;
        BaseUri = baseUri;
        Started = started;
    }

    public Uri BaseUri { get; }

    /// <summary>Started just before <see cref="Process.Start()"/>.</summary>
    public Stopwatch Started { get; }

    public int Id => _process.Id;

    /// <summary>Seconds from the start until the process printed a line containing "Listening on" (<c>ssovault serve</c> does once its host started).</summary>
    public double? ListeningAfter { get; private set; }

    /// <summary>The CLI built beside the bench (the bench references SsoVault.Cli, so ssovault.dll is copied next to it).</summary>
    /// <summary>
    /// The CLI as <c>./ssovault</c> builds it (published ReadyToRun into <c>.build/cli</c>), which <c>bench/run</c> names in
    /// <c>SSOVAULT_BENCH_CLI</c>; otherwise (the bench's tests) the one built beside the bench.
    /// </summary>
    public static string CliPath => Environment.GetEnvironmentVariable("SSOVAULT_BENCH_CLI") is { Length: > 0 } cli ? cli : Beside("ssovault.dll");

    public static string BenchPath => Beside("ssovault-bench.dll");

    /// <summary><c>ssovault serve --http --urls http://127.0.0.1:PORT</c> on the node in <paramref name="home"/>.</summary>
    public static ChildProcess StartServe(string home) =>
        Start(port => [CliPath, "serve", "--http", "--urls", $"http://127.0.0.1:{port}"], new Dictionary<string, string> { ["SSOVAULT_HOME"] = home });

    /// <summary>The minimal ASP.NET Core app (<see cref="BareServer.RunProcessAsync"/>).</summary>
    public static ChildProcess StartMinimal(string? answersFile) =>
        Start(port => answersFile is null ? [BenchPath, "--minimal-server", port] : [BenchPath, "--minimal-server", port, answersFile], new());

    private static ChildProcess Start(Func<string, string[]> arguments, Dictionary<string, string> environment)
    {
        var port = FreePort().ToString(CultureInfo.InvariantCulture);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments(port))
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var started = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var child = new ChildProcess(process, new Uri($"http://127.0.0.1:{port}/"), started);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs <c>dotnet ARGUMENTS</c> to its exit (killed if it takes more than a minute); fails unless it exits with 0.</summary>
    public static async Task RunToExitAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    /// <summary>Polls <paramref name="path"/> every 2 ms until it answers 200; the seconds since the process was started.</summary>
    public async Task<double> WaitUntilAnswersAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
        var uri = new Uri(BaseUri, path);
        while (Started.Elapsed < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_process.StartInfo.ArgumentList[0]} exited with {_process.ExitCode}: {Output()}");
            }

            try
            {
                using var response = await client.GetAsync(uri, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Started.Elapsed.TotalSeconds;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(2, cancellationToken);
        }

        throw new TimeoutException($"{uri} did not answer 200 within {timeout.TotalSeconds} s: {Output()}");
    }

    /// <summary>A line of /proc/PID/status in MB (VmHWM: peak resident set; VmRSS: current).</summary>
    public double StatusMegabytes(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var kilobytes = long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kilobytes / 1024.0;
            }
        }

        throw new InvalidOperationException($"/proc/{_process.Id}/status has no {field}.");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (ListeningAfter is null && line.Contains("Listening on", StringComparison.Ordinal))
        {
            ListeningAfter = Started.Elapsed.TotalSeconds;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > 20)
            {
                _output.Dequeue();
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output);
        }
    }

    private static string Beside(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{file} is not beside the bench (build bench/SsoVault.Bench).", path);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
