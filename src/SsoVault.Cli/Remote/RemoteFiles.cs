using SsoVault.Client;
using SsoVault.Core.Entsso;
using SsoVault.Core.Errors;
using SsoVault.Core.IO;

namespace SsoVault.Cli.Remote;

/// <summary>
/// ENTSSO XML files sent to a server as they are. The server names its input "the request body"; the CLI puts the
/// file's path back in the message, so an error reads the same as on the local node.
/// </summary>
internal static class RemoteFiles
{
    public static async Task<T> SendAsync<T>(string path, string what, Func<string, Task<T>> send)
    {
        var bytes = AtomicFile.ReadBounded(path, SafeXml.MaxBytes, what);
        string text;
        using (var reader = new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true))
        {
            text = await reader.ReadToEndAsync();
        }

        try
        {
            return await send(text);
        }
        catch (SsoVaultException e)
        {
            var error = RemoteConnection.ToSsoException(e);
            throw new SsoException(error.Code, error.Message.Replace("the request body", Path.GetFullPath(path), StringComparison.Ordinal), error.Hint);
        }
    }
}
