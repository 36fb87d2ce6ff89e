using System.Security.Cryptography;

namespace SsoVault.Core.Crypto;

/// <summary>
/// The 256-bit master secret, its id (MSID) and creation time. It never encrypts values itself: it only wraps
/// the data keys (envelope encryption), through a key derived from it with HKDF. The bytes are cleared on dispose.
/// </summary>
public sealed class MasterSecret : IDisposable
{
    private static readonly byte[] WrappingKeyInfo = "SsoVault data-key wrapping v1"u8.ToArray();

    private readonly byte[] _secret;
    private bool _disposed;

    private MasterSecret(Guid msid, byte[] secret, DateTimeOffset createdUtc)
    {
        Msid = msid;
        _secret = secret;
        CreatedUtc = createdUtc;
        KeyCheck = KeyCheckValue.Compute(secret, msid);
    }

    /// <summary>The master-secret id, shown to users as a GUID, as ENTSSO does.</summary>
    public Guid Msid { get; }

    public DateTimeOffset CreatedUtc { get; }

    public KeyCheckValue KeyCheck { get; }

    /// <summary>A fresh secret from the operating system's CSPRNG.</summary>
    public static MasterSecret Generate(TimeProvider clock)
    {
        var bytes = RandomNumberGenerator.GetBytes(CryptoConstants.KeySize);
        return new MasterSecret(Guid.NewGuid(), bytes, TruncateToMilliseconds(clock.GetUtcNow()));
    }

    /// <summary>Rebuilds a secret read from a store or a backup; the bytes are copied.</summary>
    public static MasterSecret FromBytes(Guid msid, ReadOnlySpan<byte> secret, DateTimeOffset createdUtc)
    {
        if (secret.Length != CryptoConstants.KeySize)
        {
            throw new ArgumentException($"A master secret is {CryptoConstants.KeySize} bytes.", nameof(secret));
        }

        return new MasterSecret(msid, secret.ToArray(), TruncateToMilliseconds(createdUtc));
    }

    /// <summary>Copies the raw secret into <paramref name="destination"/> (for backups and the local store only).</summary>
    public void CopyTo(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _secret.CopyTo(destination);
    }

    /// <summary>The AES-256 key that wraps data keys: HKDF-SHA256(secret, info = label), no salt.</summary>
    internal void DeriveWrappingKey(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _secret, destination, salt: [], info: WrappingKeyInfo);
    }

    /// <summary>True when both hold the same MSID and the same bytes (constant-time on the bytes).</summary>
    public bool SameAs(MasterSecret other) =>
        Msid == other.Msid && CryptographicOperations.FixedTimeEquals(_secret, other._secret);

    public void Dispose()
    {
        if (!_disposed)
        {
            CryptographicOperations.ZeroMemory(_secret);
            _disposed = true;
        }
    }

    public override string ToString() => $"MasterSecret {Msid} (kcv {KeyCheck})";

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());
}
