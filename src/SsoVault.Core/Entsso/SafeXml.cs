using System.Xml;
using System.Xml.Linq;
using SsoVault.Core.Errors;

namespace SsoVault.Core.Entsso;

/// <summary>
/// Loads ENTSSO XML files safely: no DTD, no external entities or resolver, bounded size, bounded depth.
/// Parse errors name the line and position.
/// </summary>
public static class SafeXml
{
    public const int MaxBytes = 16 * 1024 * 1024;
    public const int MaxDepth = 32;

    public static XDocument Load(string path, string what)
    {
        var bytes = IO.AtomicFile.ReadBounded(path, MaxBytes, what);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxBytes,
            MaxCharactersFromEntities = 0,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        try
        {
            using var stream = new MemoryStream(bytes);
            using var reader = XmlReader.Create(stream, settings);
            var document = XDocument.Load(reader, LoadOptions.SetLineInfo);
            if (Depth(document.Root) > MaxDepth)
            {
                throw new SsoException(SsoErrorCode.InvalidInput,
                    $"{Path.GetFullPath(path)} is nested deeper than {MaxDepth} elements.", $"Check that it is a {what}.");
            }

            return document;
        }
        catch (XmlException e)
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"{Path.GetFullPath(path)} is not well-formed XML (line {e.LineNumber}, position {e.LinePosition}): {e.Message}",
                $"Fix the {what} and try again; nothing was changed.", e);
        }
    }

    /// <summary>"line N" of an element, for error messages.</summary>
    public static string Where(XObject node) =>
        node is IXmlLineInfo info && info.HasLineInfo() ? $"line {info.LineNumber}" : "unknown line";

    private static int Depth(XElement? element) =>
        element is null ? 0 : 1 + element.Elements().Select(Depth).DefaultIfEmpty(0).Max();
}
