using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SsoVault.Core.Entsso;
using SsoVault.Core.Errors;

namespace SsoVault.Server.Endpoints;

/// <summary>
/// Bodies read by hand, for endpoints that take either JSON or one of ENTSSO's XML files. Errors take the same path as
/// bound bodies: a JSON error becomes a <see cref="BadHttpRequestException"/> (the one handler names the member and
/// position), an XML error an <see cref="SsoException"/> naming the line. XML is parsed from memory, never a temp file.
/// </summary>
internal static class RequestBody
{
    /// <summary>How XML bodies are named in error messages ("the request body (line 3): ...").</summary>
    public const string XmlSource = "the request body";

    public static bool IsXml(HttpRequest request) =>
        request.ContentType is { } type && (type.Contains("/xml", StringComparison.OrdinalIgnoreCase) || type.Contains("+xml", StringComparison.OrdinalIgnoreCase));

    public static async Task<T> ReadJsonAsync<T>(HttpContext http)
    {
        if (!http.Request.HasJsonContentType())
        {
            throw new SsoException(SsoErrorCode.InvalidInput, $"The request body must be JSON (Content-Type: application/json), not '{http.Request.ContentType ?? "none"}'.",
                "See /openapi/v1.json for the expected request.");
        }

        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, options, http.RequestAborted)
                   ?? throw new SsoException(SsoErrorCode.InvalidInput, "The request body is null.", "Send a JSON object as described in /openapi/v1.json.");
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException("The request body is not valid JSON.", StatusCodes.Status400BadRequest, e);
        }
    }

    /// <summary>The body's bytes, at most <see cref="SafeXml.MaxBytes"/> (a bigger body is refused before it is all read).</summary>
    public static async Task<byte[]> ReadXmlAsync(HttpContext http)
    {
        if (!IsXml(http.Request))
        {
            throw new SsoException(SsoErrorCode.InvalidInput, $"The request body must be one of ENTSSO's XML files (Content-Type: application/xml), not '{http.Request.ContentType ?? "none"}'.",
                "Send the file as it is, e.g. curl --data-binary @apps.xml -H 'Content-Type: application/xml'.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > SafeXml.MaxBytes)
            {
                throw new SsoException(SsoErrorCode.InvalidInput, $"{XmlSource} is larger than {SafeXml.MaxBytes / (1024 * 1024)} MiB.",
                    "ENTSSO's XML files are small; check what is being sent.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
