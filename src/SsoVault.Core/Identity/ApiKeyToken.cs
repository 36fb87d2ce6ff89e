using System.Security.Cryptography;
using SsoVault.Core.Errors;

namespace SsoVault.Core.Identity;

/// <summary>
/// API keys: <c>ssv1_ID_SECRET</c> — a public id (12 hex digits) to find the key, and 32 random bytes (base64url) that
/// are shown once and stored only as their SHA-256 hash. A fast hash is right here: the secret has 256 bits of entropy,
/// so there is nothing to brute-force, and lookups stay cheap.
/// </summary>
public static class ApiKeyToken
{
    private const string Prefix = "ssv1_";

    public static (string Id, string Token, byte[] SecretHash) Create()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = RandomNumberGenerator.GetBytes(32);
        try
        {
            return (id, $"{Prefix}{id}_{Base64UrlEncode(secret)}", SHA256.HashData(secret));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Splits a presented token; a malformed one is an authentication failure that says nothing more.</summary>
    public static (string Id, byte[] SecretHash) Parse(string? token)
    {
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 128)
        {
            throw Invalid();
        }

        // Split once: the base64url secret may itself contain '_'.
        var parts = token[Prefix.Length..].Split('_', 2);
        if (parts.Length != 2 || parts[0].Length != 12 || !parts[0].All(char.IsAsciiHexDigitLower))
        {
            throw Invalid();
        }

        var secret = Base64UrlDecode(parts[1]);
        if (secret is null || secret.Length != 32)
        {
            throw Invalid();
        }

        return (parts[0], SHA256.HashData(secret));
    }

    public static bool Matches(byte[] presentedHash, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(presentedHash, storedHash);

    public static SsoException Invalid() => new(SsoErrorCode.Unauthenticated,
        "The API key is missing, malformed, unknown or revoked.",
        "Pass a valid key (--api-key-file FILE or SSOVAULT_API_KEY); an SSO administrator creates one with 'ssovault apikey create ACCOUNT'.");

    private static string Base64UrlEncode(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    private static byte[]? Base64UrlDecode(string text)
    {
        try
        {
            return System.Buffers.Text.Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
