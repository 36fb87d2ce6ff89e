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

    public static XDocument Load(string path, string what) => Parse(IO.AtomicFile.ReadBounded(path, MaxBytes, what), Path.GetFullPath(path), what);

    /// <summary>Parses bytes already in memory (an SSO server request body); <paramref name="source"/> names them in messages.</summary>
    public static XDocument Parse(byte[] bytes, string source, string what)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length > MaxBytes)
        {
            throw new SsoException(SsoErrorCode.InvalidInput, $"{source} is larger than {MaxBytes / (1024 * 1024)} MiB.", $"Check that it is a {what}.");
        }

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
            // Depth is checked while streaming, before any tree is built: a recursive walk of a tree a hostile file
            // nests 100,000 deep overflows the stack and kills the process, which no catch can turn into an error.
            using (var scan = XmlReader.Create(new MemoryStream(bytes), settings))
            {
                while (scan.Read())
                {
                    if (scan.NodeType == XmlNodeType.Element && scan.Depth >= MaxDepth)
                    {
                        throw new SsoException(SsoErrorCode.InvalidInput,
                            $"{source} is nested deeper than {MaxDepth} elements.", $"Check that it is a {what}.");
                    }
                }
            }

            using var stream = new MemoryStream(bytes);
            using var reader = XmlReader.Create(stream, settings);
            return XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"{source} is not well-formed XML (line {e.LineNumber}, position {e.LinePosition}): {e.Message}",
                $"Fix the {what} and try again; nothing was changed.", e);
        }
    }

    /// <summary>"line N" of an element, for error messages.</summary>
    public static string Where(XObject node) =>
        node is IXmlLineInfo info && info.HasLineInfo() ? $"line {info.LineNumber}" : "unknown line";
}
