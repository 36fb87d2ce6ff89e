using System.Text;

namespace SsoVault.Core.KeyDistribution;

/// <summary>
/// The exact bytes a node signs: a purpose line, then one line per field (byte arrays in base64). Fields are
/// newline-free by construction (names follow host-name rules, numbers, base64), so no two messages share bytes, and
/// a signature made for one purpose is never valid for another.
/// </summary>
internal static class SignedText
{
    public static byte[] Of(string purpose, params object[] fields)
    {
        var text = new StringBuilder(purpose).Append('\n');
        foreach (var field in fields)
        {
            text.Append(field switch
            {
                byte[] bytes => Convert.ToBase64String(bytes),
                string value => value.ToLowerInvariant(),
                IFormattable value => value.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                _ => throw new ArgumentException($"Cannot sign a {field.GetType().Name}.", nameof(fields)),
            }).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
