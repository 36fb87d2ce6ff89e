using System.Text.Json;

namespace SsoVault.Client;

/// <summary>Turns an error response (an RFC 7807 problem, or anything else a proxy may send) into an <see cref="SsoVaultException"/>.</summary>
internal static class ProblemReader
{
    private const int MaxProblemBytes = 64 * 1024;

    public static async Task<SsoVaultException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var fallbackCode = status switch
        {
            401 => "Unauthenticated",
            403 => "AccessDenied",
            404 => "NotFound",
            409 => "Conflict",
            >= 400 and < 500 => "InvalidInput",
            _ => SsoVaultException.ServerUnavailableCode,
        };
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (bytes.Length is > 0 and <= MaxProblemBytes && response.Content.Headers.ContentType?.MediaType is { } media && media.Contains("json", StringComparison.OrdinalIgnoreCase))
            {
                using var document = JsonDocument.Parse(bytes);
                var root = document.RootElement;
                return new SsoVaultException(
                    Text(root, "code") ?? fallbackCode, status,
                    Text(root, "detail") ?? Text(root, "title") ?? $"The server answered {status} {response.ReasonPhrase}.",
                    Text(root, "hint"), Text(root, "type"));
            }
        }
        catch (JsonException)
        {
            // Not a problem document: fall through to the status alone.
        }

        return new SsoVaultException(fallbackCode, status, $"The server answered {status} {response.ReasonPhrase}.", null);
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
