using SsoVault.Core.Errors;

namespace SsoVault.Core.IO;

/// <summary>
/// Durable, all-or-nothing file writes: the bytes go to a temporary file beside the target, created with
/// owner-only permissions from the start, flushed to disk, then renamed over the target and the directory synced.
/// A crash at any point leaves either the old file or the new one, never a mix.
/// </summary>
public static class AtomicFile
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <param name="overwrite">When false, an existing target is an error and is left untouched.</param>
    public static void Write(string path, ReadOnlySpan<byte> bytes, bool overwrite)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(directory))
        {
            throw new SsoException(SsoErrorCode.IoFailure,
                $"The folder {directory} does not exist.",
                "Create it first, or name a file in an existing folder.");
        }

        if (!overwrite && File.Exists(fullPath))
        {
            throw new SsoException(SsoErrorCode.Conflict,
                $"The file {fullPath} already exists; it was left as it is.",
                "Name a new file: an older backup may be the only copy of an older secret.");
        }

        var temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.WriteThrough,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerReadWrite;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            if (!overwrite && File.Exists(fullPath))
            {
                throw new SsoException(SsoErrorCode.Conflict, $"The file {fullPath} appeared while it was being written.");
            }

            File.Move(temp, fullPath, overwrite);
            SyncDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SsoException(SsoErrorCode.IoFailure, $"The file {fullPath} could not be written: {e.Message}",
                "Check the folder's permissions and free space; nothing was changed.", e);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Reads a whole file, refusing anything larger than <paramref name="maxBytes"/>.</summary>
    public static byte[] ReadBounded(string path, int maxBytes, string what)
    {
        var fullPath = Path.GetFullPath(path);
        try
        {
            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > maxBytes)
            {
                throw new SsoException(SsoErrorCode.InvalidInput,
                    $"{fullPath} is {stream.Length:N0} bytes long, larger than any {what} ({maxBytes:N0} bytes at most).",
                    $"Check that you named a {what}.");
            }

            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (FileNotFoundException)
        {
            throw new SsoException(SsoErrorCode.NotFound, $"{fullPath} does not exist.", $"Check the path of the {what}.");
        }
        catch (DirectoryNotFoundException)
        {
            throw new SsoException(SsoErrorCode.NotFound, $"{fullPath} does not exist.", $"Check the path of the {what}.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SsoException(SsoErrorCode.IoFailure, $"{fullPath} could not be read: {e.Message}",
                "Check the file's permissions.", e);
        }
    }

    /// <summary>Creates a directory readable only by its owner (or tightens an existing one).</summary>
    public static void EnsurePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>
    /// Makes the rename itself durable: POSIX needs an fsync of the directory, which .NET does not expose, so it is
    /// called directly. Where the platform refuses (some file systems), the file's own write-through still holds.
    /// </summary>
    private static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = NativeMethods.Open(directory, NativeMethods.ReadOnlyDirectory);
        if (fd < 0)
        {
            return;
        }

        NativeMethods.Fsync(fd);
        NativeMethods.Close(fd);
    }

    private static class NativeMethods
    {
        /// <summary>O_RDONLY | O_DIRECTORY: the flag's value differs between Linux and macOS.</summary>
        public static readonly int ReadOnlyDirectory = OperatingSystem.IsMacOS() ? 0x100000 : 0x10000;

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, int flags);

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int Fsync(int fd);

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);
    }
}
