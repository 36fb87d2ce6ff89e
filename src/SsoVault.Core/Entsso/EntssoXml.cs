using System.Xml.Linq;
using SsoVault.Core.Errors;

namespace SsoVault.Core.Entsso;

/// <summary>
/// Helpers shared by ENTSSO's application and mapping files: case-insensitive names, yes/no flags, line numbers.
/// A <c>source</c> is what messages call the input: a file's full path, or "the request body" on the server.
/// </summary>
internal static class EntssoXml
{
    public static XElement Root(XDocument document, string path, string what)
    {
        var root = document.Root!;
        return root.Name.LocalName.Equals("sso", StringComparison.OrdinalIgnoreCase)
            ? root
            : throw Invalid(path, root, $"the root element is <{root.Name.LocalName}>, not <sso>", what);
    }

    public static IEnumerable<XElement> Children(XElement parent, string name) =>
        parent.Elements().Where(e => e.Name.LocalName.Equals(name, StringComparison.OrdinalIgnoreCase));

    public static string? ChildText(XElement parent, string name) => Children(parent, name).FirstOrDefault()?.Value.Trim();

    public static string? Attribute(XElement element, string name) =>
        element.Attributes().FirstOrDefault(a => a.Name.LocalName.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value.Trim();

    /// <summary>ENTSSO's flag attributes take yes/no; on/off and true/false are accepted too.</summary>
    public static bool? YesNo(string path, XElement element, string attribute, string what)
    {
        var value = Attribute(element, attribute);
        return value?.ToUpperInvariant() switch
        {
            null => null,
            "YES" or "ON" or "TRUE" or "1" => true,
            "NO" or "OFF" or "FALSE" or "0" => false,
            _ => throw Invalid(path, element, $"{attribute}=\"{value}\" must be yes or no", what),
        };
    }

    /// <summary>Accounts listed in one element, separated by ';' (several accounts per role are allowed).</summary>
    public static IReadOnlyList<string>? Accounts(XElement parent, params string[] names)
    {
        var text = names.Select(n => ChildText(parent, n)).FirstOrDefault(t => t is not null);
        return text?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public static SsoException Invalid(string source, XObject where, string why, string what) => new(
        SsoErrorCode.InvalidInput,
        $"{source} ({SafeXml.Where(where)}): {why}. Nothing was changed.",
        $"Fix the {what}; ENTSSO's format is described in docs/compatibility.md.");

    /// <summary>Re-throws a refusal of one element with the file and line in front, so an import says where it failed.</summary>
    public static SsoException AtLine(string source, XObject where, SsoException error) => new(
        error.Code, $"{source} ({SafeXml.Where(where)}): {error.Message}", error.Hint, error);
}
