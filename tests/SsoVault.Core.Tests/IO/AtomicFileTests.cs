using SsoVault.Core.Errors;
using SsoVault.Core.IO;
using SsoVault.Core.Tests.TestSupport;

namespace SsoVault.Core.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerAll = OwnerReadWrite | UnixFileMode.UserExecute;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Write_NewFile_WritesBytesOwnerOnly()
    {
        var path = _dir.Combine("new.bin");

        AtomicFile.Write(path, [1, 2, 3], overwrite: false);

        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Write_EmptyContent_WritesEmptyFile()
    {
        var path = _dir.Combine("empty.bin");

        AtomicFile.Write(path, [], overwrite: false);

        Assert.Empty(File.ReadAllBytes(path));
    }

    [Fact]
    public void Write_OverwriteFalseAndTargetExists_ConflictAndTargetUnchanged()
    {
        var path = _dir.Combine("backup.ssobak");
        File.WriteAllBytes(path, [9, 9, 9]);
        var modified = File.GetLastWriteTimeUtc(path);

        var error = Assert.Throws<SsoException>(() => AtomicFile.Write(path, [1, 2, 3], overwrite: false));

        Assert.Equal(SsoErrorCode.Conflict, error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal([9, 9, 9], File.ReadAllBytes(path));
        Assert.Equal(modified, File.GetLastWriteTimeUtc(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Write_OverwriteTrue_ReplacesContentAndTightensMode()
    {
        var path = _dir.Combine("settings.json");
        File.WriteAllBytes(path, [9, 9, 9, 9, 9, 9]);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        AtomicFile.Write(path, [1, 2], overwrite: true);

        Assert.Equal([1, 2], File.ReadAllBytes(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Write_MissingFolder_IoFailureAndNothingCreated()
    {
        var path = _dir.Combine("no-such-folder", "file.bin");

        var error = Assert.Throws<SsoException>(() => AtomicFile.Write(path, [1], overwrite: true));

        Assert.Equal(SsoErrorCode.IoFailure, error.Code);
        Assert.False(Directory.Exists(_dir.Combine("no-such-folder")));
    }

    [Fact]
    public void Write_TargetIsADirectory_IoFailureAndNoTempFileLeft()
    {
        var path = _dir.Combine("a-folder");
        Directory.CreateDirectory(path);

        var error = Assert.Throws<SsoException>(() => AtomicFile.Write(path, [1], overwrite: true));

        Assert.Equal(SsoErrorCode.IoFailure, error.Code);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Write_ReadOnlyFolder_IoFailureAndNoTempFileLeft()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root")
        {
            return; // root ignores permission bits
        }

        var folder = _dir.Combine("locked");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var error = Assert.Throws<SsoException>(() => AtomicFile.Write(Path.Combine(folder, "f.bin"), [1], overwrite: true));

            Assert.Equal(SsoErrorCode.IoFailure, error.Code);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }
        finally
        {
            File.SetUnixFileMode(folder, OwnerAll);
        }
    }

    [Fact]
    public void Write_ManyTimes_LeavesNoTemporaryFiles()
    {
        var path = _dir.Combine("store.bin");

        for (var i = 0; i < 5; i++)
        {
            AtomicFile.Write(path, [(byte)i], overwrite: true);
        }

        Assert.Equal([path], Directory.GetFileSystemEntries(_dir.Path));
        Assert.Equal([4], File.ReadAllBytes(path));
    }

    [Fact]
    public void ReadBounded_FileAtLimit_ReturnsBytes()
    {
        var path = _dir.Combine("ok.bin");
        File.WriteAllBytes(path, new byte[100]);

        Assert.Equal(100, AtomicFile.ReadBounded(path, 100, "test file").Length);
    }

    [Fact]
    public void ReadBounded_FileOverLimit_InvalidInputNamingWhat()
    {
        var path = _dir.Combine("big.bin");
        File.WriteAllBytes(path, new byte[101]);

        var error = Assert.Throws<SsoException>(() => AtomicFile.ReadBounded(path, 100, "widget file"));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        Assert.Contains("widget file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBounded_MissingFile_NotFound()
    {
        var error = Assert.Throws<SsoException>(() => AtomicFile.ReadBounded(_dir.Combine("nope.xml"), 100, "widget file"));

        Assert.Equal(SsoErrorCode.NotFound, error.Code);
        Assert.Contains("nope.xml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBounded_MissingFolder_NotFound()
    {
        var error = Assert.Throws<SsoException>(() => AtomicFile.ReadBounded(_dir.Combine("nowhere", "nope.xml"), 100, "widget file"));

        Assert.Equal(SsoErrorCode.NotFound, error.Code);
    }

    [Fact]
    public void ReadBounded_Directory_SsoException()
    {
        var error = Record.Exception(() => AtomicFile.ReadBounded(_dir.Path, 100, "widget file"));

        Assert.IsType<SsoException>(error);
    }

    [Fact]
    public void EnsurePrivateDirectory_NewNestedFolder_CreatedOwnerOnly()
    {
        var path = _dir.Combine("a", "secrets");

        AtomicFile.EnsurePrivateDirectory(path);

        Assert.True(Directory.Exists(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(OwnerAll, File.GetUnixFileMode(path));
        }
    }
}
