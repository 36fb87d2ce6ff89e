using System.Buffers.Binary;
using System.Security.Cryptography;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;

namespace SsoVault.Bench.Fixtures;

/// <summary>
/// The current data key's raw bytes, unwrapped independently of SsoVault's code from the formats in docs/crypto.md
/// (HKDF-SHA256 wrapping key; version | nonce | key | tag; AAD = label | system id | key id | MSID). The hand-written
/// limit needs the key itself, which the key ring keeps private; a mismatch with the documented format fails here.
/// </summary>
internal static class RawDataKey
{
    private static ReadOnlySpan<byte> WrappingInfo => "SsoVault data-key wrapping v1"u8;
    private static ReadOnlySpan<byte> WrapLabel => "SsoVault data key v1"u8;

    public static async Task<(uint Id, byte[] Key)> UnwrapCurrentAsync(SsoNode node, CancellationToken cancellationToken)
    {
        IReadOnlyList<WrappedDataKey> keys;
        SystemInfo info;
        await using (var transaction = await node.Database.BeginAsync(cancellationToken))
        {
            info = await node.GetSystemInfoAsync(transaction, cancellationToken);
            keys = await transaction.DataKeys.ListAsync(cancellationToken);
        }

        var wrapped = keys.Where(k => k.State == DataKeyState.Active).MaxBy(k => k.Id)
                      ?? throw new InvalidOperationException("The bench database has no active data key.");
        using var store = node.SecretStore.Load() ?? throw new InvalidOperationException("The bench node holds no master secret.");
        var secret = store.Find(wrapped.WrappedUnderMsid) ?? throw new InvalidOperationException("The bench node lacks the wrapping secret.");

        Span<byte> raw = stackalloc byte[32];
        Span<byte> kek = stackalloc byte[32];
        Span<byte> aad = stackalloc byte[WrapLabel.Length + 36];
        var key = new byte[32];
        try
        {
            secret.CopyTo(raw);
            HKDF.DeriveKey(HashAlgorithmName.SHA256, raw, kek, salt: [], info: WrappingInfo);
            WrapLabel.CopyTo(aad);
            info.SystemId.TryWriteBytes(aad[WrapLabel.Length..], bigEndian: true, out _);
            BinaryPrimitives.WriteUInt32BigEndian(aad[(WrapLabel.Length + 16)..], wrapped.Id);
            wrapped.WrappedUnderMsid.TryWriteBytes(aad[(WrapLabel.Length + 20)..], bigEndian: true, out _);
            var body = wrapped.Wrapped.AsSpan();
            using var aes = new AesGcm(kek, 16);
            aes.Decrypt(body.Slice(1, 12), body.Slice(13, 32), body.Slice(45, 16), key, aad);
            return (wrapped.Id, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
            CryptographicOperations.ZeroMemory(kek);
        }
    }
}
