using System.Buffers.Binary;
using System.Security.Cryptography;
using SsoVault.Core.Crypto;
using SsoVault.Core.Errors;
using SsoVault.Core.IO;

namespace SsoVault.Core.Secrets;

/// <summary>
/// The master secret server's local copy of its master secrets (ENTSSO keeps them in the registry, SSOSS key).
/// One file, owner-only permissions, replaced atomically. It may hold more secrets than the database names
/// (a generate that crashed between steps leaves the new one in it), never fewer: the database decides which
/// is current. Layout: "SSOVSTOR" | version (2) | system id (16) | count (1) | count x entry | SHA-256 (32),
/// each entry MSID (16) | created ms (8) | secret (32) | key-check value (8). Integers big-endian.
/// </summary>
public sealed class LocalSecretStore
{
    public const string FileName = "master-secret.store";

    private const ushort Version = 1;
    private const int EntrySize = 16 + 8 + CryptoConstants.KeySize + CryptoConstants.KeyCheckValueSize;
    /// <summary>The most secrets one store holds.</summary>
    public const int MaxEntries = 8;
    private static readonly long MinUnixMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxUnixMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private static ReadOnlySpan<byte> Magic => "SSOVSTOR"u8;

    public LocalSecretStore(string directory)
    {
        Directory = directory;
        FilePath = Path.Combine(directory, FileName);
    }

    public string Directory { get; }

    public string FilePath { get; }

    public bool Exists => File.Exists(FilePath);

    /// <summary>Reads the store; null when there is none. A damaged store is an error naming the fix.</summary>
    public SecretStoreContents? Load()
    {
        if (!Exists)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(FilePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Damaged($"it cannot be read ({e.Message})", e);
        }

        try
        {
            return Parse(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Replaces the store with exactly these secrets, atomically.</summary>
    public void Save(Guid systemId, IReadOnlyCollection<MasterSecret> secrets)
    {
        if (secrets.Count is < 1 or > MaxEntries)
        {
            throw new ArgumentException($"The store holds 1 to {MaxEntries} secrets.", nameof(secrets));
        }

        var bytes = new byte[Magic.Length + 2 + 16 + 1 + secrets.Count * EntrySize + 32];
        try
        {
            var span = bytes.AsSpan();
            Magic.CopyTo(span);
            BinaryPrimitives.WriteUInt16BigEndian(span[8..], Version);
            systemId.TryWriteBytes(span[10..], bigEndian: true, out _);
            span[26] = (byte)secrets.Count;
            var offset = 27;
            foreach (var secret in secrets)
            {
                secret.Msid.TryWriteBytes(span[offset..], bigEndian: true, out _);
                BinaryPrimitives.WriteInt64BigEndian(span[(offset + 16)..], secret.CreatedUtc.ToUnixTimeMilliseconds());
                secret.CopyTo(span.Slice(offset + 24, CryptoConstants.KeySize));
                secret.KeyCheck.WriteTo(span[(offset + 24 + CryptoConstants.KeySize)..]);
                offset += EntrySize;
            }

            SHA256.HashData(span[..offset], span[offset..]);
            AtomicFile.EnsurePrivateDirectory(Directory);
            AtomicFile.Write(FilePath, bytes, overwrite: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Deletes the store (a former secret server after a handover); false when the file could not be removed.</summary>
    public bool TryDelete()
    {
        try
        {
            File.Delete(FilePath);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Moves a damaged store aside (kept for forensics, still owner-only) so that a restore can write a fresh one.
    /// </summary>
    public string? SetAsideDamaged(TimeProvider clock)
    {
        if (!Exists)
        {
            return null;
        }

        var aside = Path.Combine(Directory,
            $"{FileName}.damaged-{clock.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid():N}".Replace(':', '-'));
        try
        {
            File.Move(FilePath, aside);
            return aside;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SsoException(SsoErrorCode.IoFailure,
                $"The damaged secret store {FilePath} could not be set aside: {e.Message}",
                $"Move it away by hand (keep it: it may be needed for forensics), then restore again. Nothing was changed.", e);
        }
    }

    private SecretStoreContents Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 27 + 32 || !bytes.StartsWith(Magic))
        {
            throw Damaged("it is not a SsoVault secret store (wrong signature or too short)");
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(bytes[8..]) != Version)
        {
            throw Damaged($"it has an unknown format version {BinaryPrimitives.ReadUInt16BigEndian(bytes[8..])}");
        }

        var count = bytes[26];
        if (count is < 1 or > MaxEntries || bytes.Length != 27 + count * EntrySize + 32)
        {
            throw Damaged("its length does not match its contents (truncated or altered)");
        }

        Span<byte> checksum = stackalloc byte[32];
        SHA256.HashData(bytes[..^32], checksum);
        if (!CryptographicOperations.FixedTimeEquals(checksum, bytes[^32..]))
        {
            throw Damaged("its checksum does not match (altered or damaged on disk)");
        }

        var systemId = new Guid(bytes.Slice(10, 16), bigEndian: true);
        var secrets = new List<MasterSecret>(count);
        var offset = 27;
        for (var i = 0; i < count; i++, offset += EntrySize)
        {
            var msid = new Guid(bytes.Slice(offset, 16), bigEndian: true);
            var createdMs = BinaryPrimitives.ReadInt64BigEndian(bytes[(offset + 16)..]);
            if (createdMs < MinUnixMs || createdMs > MaxUnixMs)
            {
                // Only a forged store (the checksum is not keyed) gets here; it must still be "damaged", not a crash.
                secrets.ForEach(s => s.Dispose());
                throw Damaged($"the secret {msid} has an impossible creation time");
            }

            var created = DateTimeOffset.FromUnixTimeMilliseconds(createdMs);
            var secret = MasterSecret.FromBytes(msid, bytes.Slice(offset + 24, CryptoConstants.KeySize), created);
            if (secret.KeyCheck != KeyCheckValue.FromBytes(bytes[(offset + 24 + CryptoConstants.KeySize)..]))
            {
                secret.Dispose();
                secrets.ForEach(s => s.Dispose());
                throw Damaged($"the secret {msid} fails its key-check value");
            }

            secrets.Add(secret);
        }

        return new SecretStoreContents(systemId, secrets);
    }

    private SsoException Damaged(string why, Exception? inner = null) => new(
        SsoErrorCode.SecretStoreDamaged,
        $"The local master secret store {FilePath} is damaged: {why}.",
        "Restore the master secret from its backup file on this node: ssovault secret restore FILE " +
        "(the damaged store is set aside, not deleted).",
        inner);
}

/// <summary>The secrets read from a local store. Disposing clears them.</summary>
public sealed class SecretStoreContents(Guid systemId, IReadOnlyList<MasterSecret> secrets) : IDisposable
{
    public Guid SystemId { get; } = systemId;

    public IReadOnlyList<MasterSecret> Secrets { get; } = secrets;

    public MasterSecret? Find(Guid msid) => Secrets.FirstOrDefault(s => s.Msid == msid);

    public void Dispose()
    {
        foreach (var secret in Secrets)
        {
            secret.Dispose();
        }
    }
}
