using System.Xml.Linq;

namespace SsoVault.Core.Entsso;

/// <summary>One &lt;mapping&gt; of an ENTSSO mappings file: windowsDomain\windowsUserId in externalApplication to externalUserId.</summary>
public sealed record MappingFileEntry(XElement Element, string WindowsAccount, string Application, string ExternalUser);

/// <summary>ENTSSO's mappings file (ssomanage -createmappings / -deletemappings), accepted as it is.</summary>
public static class MappingFile
{
    private const string What = "mappings file";

    public static IReadOnlyList<MappingFileEntry> Load(string path) => Parse(SafeXml.Load(path, What), Path.GetFullPath(path));

    /// <summary>Parses a file's bytes (an SSO server request body); <paramref name="source"/> names it in messages.</summary>
    public static IReadOnlyList<MappingFileEntry> Parse(byte[] xml, string source) => Parse(SafeXml.Parse(xml, source, What), source);

    private static IReadOnlyList<MappingFileEntry> Parse(XDocument document, string path)
    {
        var root = EntssoXml.Root(document, path, What);
        var entries = new List<MappingFileEntry>();
        foreach (var element in root.Elements())
        {
            if (!element.Name.LocalName.Equals("mapping", StringComparison.OrdinalIgnoreCase))
            {
                throw EntssoXml.Invalid(path, element, $"<{element.Name.LocalName}> is not a <mapping>", What);
            }

            string Required(string name) => EntssoXml.ChildText(element, name) is { Length: > 0 } value
                ? value
                : throw EntssoXml.Invalid(path, element, $"<mapping> lacks <{name}>", What);

            entries.Add(new MappingFileEntry(element, $"{Required("windowsDomain")}\\{Required("windowsUserId")}", Required("externalApplication"),
                Required("externalUserId")));
        }

        return entries.Count > 0 ? entries : throw EntssoXml.Invalid(path, root, "it holds no <mapping>", What);
    }
}
