using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SsoVault.Bench.Http;

/// <summary>
/// The C# load generator: a fixed number of concurrent HTTP/1.1 connections (one <see cref="SocketsHttpHandler"/>,
/// <c>MaxConnectionsPerServer</c> = connections), each worker sending one request at a time, until a request budget or a
/// time budget is spent, whichever comes first. Every answer is checked byte for byte against the answer expected for
/// its API key, so a server that answers fast but wrongly (or with an error) fails the run instead of looking fast.
/// </summary>
internal sealed class HttpLoad : IDisposable
{
    private readonly HttpClient _client;

    /// <param name="pinned">The server certificate accepted (pinned by its SHA-256); null for plain HTTP.</param>
    public HttpLoad(int connections, X509Certificate2? pinned)
    {
        Connections = connections;
        var fingerprint = pinned?.GetCertHash(HashAlgorithmName.SHA256);
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (fingerprint is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), fingerprint);
        }

        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Connections { get; }

    /// <summary>One GET with the caller's API key; the body, after checking the status.</summary>
    public async Task<byte[]> GetAsync(Uri uri, string token, CancellationToken cancellationToken)
    {
        using var request = Request(uri, token);
        using var response = await _client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {uri} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        }

        return body;
    }

    /// <summary>
    /// Requests/s: <see cref="Connections"/> workers, request i with caller i mod callers, until
    /// <paramref name="maxRequests"/> are sent or <paramref name="time"/> has passed.
    /// </summary>
    public async Task<double> RunAsync(Uri uri, IReadOnlyList<(string Token, byte[] Body)> callers, TimeSpan time, long maxRequests,
        CancellationToken cancellationToken)
    {
        long issued = 0;
        long completed = 0;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Connections).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var n = Interlocked.Increment(ref issued);
                if (n > maxRequests || watch.Elapsed >= time)
                {
                    return;
                }

                var (token, expected) = callers[(int)(n % callers.Count)];
                var body = await GetAsync(uri, token, cancellationToken);
                if (!body.AsSpan().SequenceEqual(expected))
                {
                    throw new InvalidOperationException($"GET {uri} answered other bytes than expected for its API key.");
                }

                Interlocked.Increment(ref completed);
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers);
        return completed / watch.Elapsed.TotalSeconds;
    }

    private static HttpRequestMessage Request(Uri uri, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    public void Dispose() => _client.Dispose();
}
