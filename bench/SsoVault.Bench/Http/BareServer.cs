using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SsoVault.Bench.Http;

/// <summary>
/// The limit of the HTTP rows: a bare Kestrel endpoint (slim builder, no logging, one route) that answers
/// <c>GET /v1/apps/{app}/credentials</c> with the bytes the SSO server returns for the presented API key (a dictionary
/// read), with the same content type and <c>Cache-Control</c>. The same code runs in the bench process (HTTPS, the
/// node's certificate) and as its own process (<c>ssovault-bench --minimal-server</c>, plain HTTP).
/// </summary>
internal static class BareServer
{
    public static WebApplication Build(int port, X509Certificate2? certificate, IReadOnlyDictionary<string, byte[]> answers)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "ssovault-bench-minimal" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        var app = builder.Build();
        app.MapGet("/{**path}", async (HttpContext http) =>
        {
            var authorization = http.Request.Headers.Authorization.ToString();
            var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization[7..] : "";
            var body = answers.TryGetValue(token, out var found) ? found : Ready;
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.Headers.CacheControl = "no-store";
            http.Response.ContentLength = body.Length;
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
        });
        return app;
    }

    private static readonly byte[] Ready = """{"status":"ready"}"""u8.ToArray();

    public static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>
    /// <c>ssovault-bench --minimal-server PORT [ANSWERS]</c>: the minimal ASP.NET Core app as its own process, for the
    /// start-to-ready and memory rows. ANSWERS: lines of "token TAB base64 body".
    /// </summary>
    public static async Task<int> RunProcessAsync(string[] args)
    {
        var port = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
        var answers = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (args.Length > 1)
        {
            foreach (var line in File.ReadAllLines(args[1]).Where(l => l.Length > 0))
            {
                var tab = line.IndexOf('\t', StringComparison.Ordinal);
                answers[line[..tab]] = Convert.FromBase64String(line[(tab + 1)..]);
            }
        }

        await using var app = Build(port, null, answers);
        await app.RunAsync();
        return 0;
    }
}
