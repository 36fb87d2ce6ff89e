using System.Text;
using SsoVault.Core.Entsso;
using SsoVault.Core.Errors;
using SsoVault.Core.Tests.TestSupport;

namespace SsoVault.Core.Tests.Entsso;

public sealed class SafeXmlTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_NestedExactlyMaxDepth_Accepted()
    {
        var path = Write(Nested(SafeXml.MaxDepth));

        var document = SafeXml.Load(path, "test file");

        Assert.Equal("e", document.Root!.Name.LocalName);
    }

    [Fact]
    public void Load_NestedOneDeeperThanMax_InvalidInput()
    {
        var path = Write(Nested(SafeXml.MaxDepth + 1));

        var error = Assert.Throws<SsoException>(() => SafeXml.Load(path, "test file"));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        Assert.Contains("deeper than 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NestedAHundredThousandDeep_InvalidInputWithoutCrashing()
    {
        // A recursive depth check would overflow the stack here and kill the process.
        var path = Write(Nested(100_000));

        var error = Assert.Throws<SsoException>(() => SafeXml.Load(path, "test file"));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
    }

    [Fact]
    public void Load_DeepButUnclosed_InvalidInput()
    {
        var path = Write(string.Concat(Enumerable.Repeat("<e>", 50_000)));

        var error = Assert.Throws<SsoException>(() => SafeXml.Load(path, "test file"));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
    }

    [Fact]
    public void Load_OverMaxBytes_InvalidInput()
    {
        var path = _dir.Combine("huge.xml");
        using (var stream = File.Create(path))
        {
            stream.SetLength(SafeXml.MaxBytes + 1L);
        }

        var error = Assert.Throws<SsoException>(() => SafeXml.Load(path, "test file"));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
    }

    [Fact]
    public void Load_CommentsAndProcessingInstructions_Ignored()
    {
        var path = Write("<?xml version=\"1.0\"?>\n<!-- note --><a><?pi x?><b/></a>");

        var document = SafeXml.Load(path, "test file");

        Assert.Equal(["b"], document.Root!.Nodes().Select(n => ((System.Xml.Linq.XElement)n).Name.LocalName));
    }

    private static string Nested(int depth)
    {
        var builder = new StringBuilder(depth * 8);
        for (var i = 0; i < depth; i++)
        {
            builder.Append("<e>");
        }

        for (var i = 0; i < depth; i++)
        {
            builder.Append("</e>");
        }

        return builder.ToString();
    }

    private string Write(string xml)
    {
        var path = _dir.Combine($"{Guid.NewGuid():N}.xml");
        File.WriteAllText(path, xml);
        return path;
    }
}
