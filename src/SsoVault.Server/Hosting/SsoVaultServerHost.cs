using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using SsoVault.Core.Errors;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;
using SsoVault.Server.Diagnostics;

namespace SsoVault.Server.Hosting;

/// <summary>
/// Builds the SSO server process for <c>ssovault serve</c> (and tests): Kestrel on the given addresses (127.0.0.1 by
/// default), HTTPS with <see cref="ServerTls"/>, plain HTTP only when explicitly allowed, and the /v1 endpoints.
/// </summary>
public static class SsoVaultServerHost
{
    public static WebApplicationBuilder CreateBuilder(NodeHome home, ISsoDatabaseProvider databases, SsoVaultServerOptions options, ServerTls? tls)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(options);
        var endpoints = options.Urls.Select(url => Parse(url, options.AllowHttp)).ToList();
        if (tls is null && endpoints.Any(e => e.Https))
        {
            throw new ArgumentException("An https address needs a certificate (ServerTls.Resolve).", nameof(tls));
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = home.Root, ApplicationName = "SsoVault.Server" });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var endpoint in endpoints)
            {
                kestrel.Listen(endpoint.Address, endpoint.Port, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    if (endpoint.Https)
                    {
                        listen.UseHttps(tls!.Certificate);
                    }
                });
            }
        });
        builder.Services.AddSingleton(new NodeSyncOptions
        {
            PollInterval = options.PollInterval,
            AdvertisedUrl = options.AdvertisedUrl,
            CertificateSha256 = tls?.Fingerprint,
        });
        builder.Services.AddSsoVaultServer(home, databases, keyMaintenance: options.KeyMaintenance);
        return builder;
    }

    /// <summary>The request pipeline: one exception boundary, problem bodies for bare status codes, the endpoints.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapSsoVaultEndpoints();
        return app;
    }

    /// <summary>The addresses the server really listens on (port 0 resolved), after it started.</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var list = addresses?.ToList() ?? [];
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SsoVault.Server");
        foreach (var plain in list.Where(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)))
        {
            logger.PlainHttp(plain);
        }

        return list;
    }

    private sealed record ListenEndpoint(IPAddress Address, int Port, bool Https);

    private static ListenEndpoint Parse(string url, bool allowHttp)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.AbsolutePath != "/" || uri.IsDefaultPort && !url.Contains(":" + uri.Port, StringComparison.Ordinal) && uri.Port != 443)
        {
            throw new SsoException(SsoErrorCode.InvalidInput, $"'{url}' is not a listening address like https://127.0.0.1:5443.",
                "Give --urls https://HOST:PORT, where HOST is an IP address or localhost (port 0 picks a free port).");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !allowHttp)
        {
            throw new SsoException(SsoErrorCode.InvalidInput, $"'{url}' is plain HTTP: API keys and credentials would cross the network in clear.",
                "Use https://, or add --http if a TLS-terminating proxy sits in front (or for tests and benchmarks).");
        }

        IPAddress address;
        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out address!))
        {
            throw new SsoException(SsoErrorCode.InvalidInput, $"'{uri.Host}' in '{url}' is not an IP address.",
                "Listen on an IP address (127.0.0.1 by default, 0.0.0.0 for every interface) or localhost.");
        }

        return new ListenEndpoint(address, uri.Port, uri.Scheme == Uri.UriSchemeHttps);
    }
}
