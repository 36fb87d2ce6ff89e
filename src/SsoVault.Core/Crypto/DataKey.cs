using System.Security.Cryptography;

namespace SsoVault.Core.Crypto;

/// <summary>
/// One unwrapped data key of the key ring: the AES-256 key that encrypts values. Its id is written into every
/// envelope it produces. <see cref="AesGcm"/> instances are cached per thread because creating one costs more
/// than an encryption (reference/machine-limits.md).
/// </summary>
public sealed class DataKey : IDisposable
{
    private readonly byte[] _key;
    private readonly ThreadLocal<AesGcm> _cipher;

    public DataKey(uint id, ReadOnlySpan<byte> key)
    {
        if (key.Length != CryptoConstants.KeySize)
        {
            throw new ArgumentException($"A data key is {CryptoConstants.KeySize} bytes.", nameof(key));
        }

        Id = id;
        _key = key.ToArray();
        _cipher = new ThreadLocal<AesGcm>(() => new AesGcm(_key, CryptoConstants.TagSize), trackAllValues: true);
    }

    public uint Id { get; }

    public static DataKey Generate(uint id)
    {
        Span<byte> key = stackalloc byte[CryptoConstants.KeySize];
        RandomNumberGenerator.Fill(key);
        try
        {
            return new DataKey(id, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    internal AesGcm Cipher => _cipher.Value!;

    internal ReadOnlySpan<byte> KeyBytes => _key;

    public void Dispose()
    {
        foreach (var cipher in _cipher.Values)
        {
            cipher.Dispose();
        }

        _cipher.Dispose();
        CryptographicOperations.ZeroMemory(_key);
    }
}
