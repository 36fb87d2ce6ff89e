using System.CommandLine;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SsoVault.Cli.Infrastructure;
using SsoVault.Core.Errors;
using SsoVault.Core.IO;
using SsoVault.Server.Hosting;

namespace SsoVault.Cli.Commands;

/// <summary>
/// 'ssovault serve': the SSO server (HTTP API under /v1) for this node, over HTTPS with the node's certificate (made on
/// first run) unless one is configured. Listens on 127.0.0.1 unless told otherwise; plain HTTP only with --http.
/// </summary>
internal static class ServeCommand
{
    public const string CertificatePasswordVariable = "SSOVAULT_CERTIFICATE_PASSWORD";

    public static Command Create()
    {
        var urls = new Option<string[]>("--urls")
        {
            Description = $"Addresses to listen on (default {SsoVaultServerOptions.DefaultUrl}); port 0 picks a free port. Repeat for several.",
            AllowMultipleArgumentsPerToken = true,
        };
        var http = new Option<bool>("--http") { Description = "Allow http:// addresses: only behind a TLS-terminating proxy, or for tests and benchmarks." };
        var certificate = new Option<string?>("--certificate") { Description = "Serve this PKCS#12 (.pfx) certificate instead of the node's self-signed one." };
        var passwordFile = new Option<string?>("--certificate-password-file")
        {
            Description = $"The --certificate file's password, from this file (first line); or {CertificatePasswordVariable}.",
        };
        var maxAge = new Option<int>("--data-key-max-age-days")
        {
            Description = "On the master secret server, rotate the data key once it is this many days old (default 90; 0: only before the encryption limit).",
            DefaultValueFactory = _ => 90,
        };
        var poll = new Option<int>("--poll-interval")
        {
            Description = "Seconds between reads of the global info, to follow a new secret server, new data keys, SSO on/off (default 30).",
            DefaultValueFactory = _ => 30,
        };
        var advertise = new Option<string?>("--advertise-url")
        {
            Description = "The https address other nodes reach this server at (default: the first https address it listens on).",
        };
        var command = new Command("serve",
            "Run the SSO server for this node (HTTP API under /v1, OpenAPI at /openapi/v1.json). Stop it with Ctrl+C.\n" +
            "Examples:\n" +
            "  ssovault serve                                  (https://127.0.0.1:5443, the node's own certificate)\n" +
            "  ssovault serve --urls https://0.0.0.0:5443 --certificate server.pfx --certificate-password-file pfx.txt")
        {
            urls, http, certificate, passwordFile, maxAge, poll, advertise,
        };
        CommandRunner.SetAction(command, null, async (parse, context, cancellationToken) =>
        {
            var options = new SsoVaultServerOptions
            {
                Urls = parse.GetValue(urls) is { Length: > 0 } given ? given : [SsoVaultServerOptions.DefaultUrl],
                AllowHttp = parse.GetValue(http),
                PollInterval = TimeSpan.FromSeconds(PollSeconds(parse.GetValue(poll))),
                AdvertisedUrl = AdvertisedUrl(parse.GetValue(advertise)),
                KeyMaintenance = new KeyMaintenanceOptions
                {
                    DataKeyMaxAge = parse.GetValue(maxAge) > 0 ? TimeSpan.FromDays(parse.GetValue(maxAge)) : null,
                },
            };
            ServerTls? tls = null;
            if (options.Urls.Any(u => u.StartsWith("https:", StringComparison.OrdinalIgnoreCase)))
            {
                var path = parse.GetValue(certificate);
                var configured = path is null ? null : NodeCertificate.Load(path, ReadPassword(parse.GetValue(passwordFile)));
                tls = ServerTls.Resolve(context.Home, configured, path is null ? null : Path.GetFullPath(path), context.Clock);
            }

            var builder = SsoVaultServerHost.CreateBuilder(context.Home, context.Databases, options, tls);
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(context.LogProvider);
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            await using var app = SsoVaultServerHost.Build(builder);
            await app.StartAsync(cancellationToken);

            var output = Console.Out;
            if (tls is not null)
            {
                output.WriteLine(tls.Created
                    ? $"Created a self-signed certificate for this node (ECDSA P-256, valid until {tls.Certificate.NotAfter.ToUniversalTime():u}): {tls.Source}"
                    : $"TLS certificate: {tls.Source} (valid until {tls.Certificate.NotAfter.ToUniversalTime():u})");
                output.WriteLine($"SHA-256 fingerprint: {tls.Fingerprint}");
                output.WriteLine("Clients pin it: ssovault --server URL --server-fingerprint FINGERPRINT ...");
            }

            foreach (var address in SsoVaultServerHost.Addresses(app))
            {
                if (address.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                {
                    Console.Error.WriteLine($"WARNING: {address} is PLAIN HTTP. API keys and credentials cross the network in clear. " +
                                            "Use it only behind a TLS-terminating proxy, or for tests and benchmarks.");
                }

                output.WriteLine($"Listening on {address}");
            }

            output.Flush();
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Other nodes pin this server's certificate, so what it advertises must be an https address with nothing after the port.</summary>
    private static string? AdvertisedUrl(string? url) =>
        url is null || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.AbsolutePath == "/" && uri.Query.Length == 0)
            ? url?.TrimEnd('/')
            : throw new SsoException(SsoErrorCode.InvalidInput, $"--advertise-url '{url}' is not an https address like https://sso1.example.com:5443.",
                "Give the https address (host and port) at which the other nodes reach this server; nothing else is changed.");

    private static int PollSeconds(int seconds) => seconds is >= 1 and <= 3600
        ? seconds
        : throw new SsoException(SsoErrorCode.InvalidInput, $"--poll-interval {seconds} is out of range.", "Give a number of seconds from 1 to 3600 (default 30).");

    private static string? ReadPassword(string? file) =>
        file is not null
            ? Encoding.UTF8.GetString(AtomicFile.ReadBounded(file, 4096, "certificate password file")).Split('\n')[0].TrimEnd('\r')
            : Environment.GetEnvironmentVariable(CertificatePasswordVariable);
}
