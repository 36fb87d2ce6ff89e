namespace SsoVault.Core.Crypto;

/// <summary>
/// The unwrapped data keys a node holds in memory. New values are encrypted under the newest active key;
/// any key in the ring can decrypt. Immutable: a change to the ring builds a new instance.
/// </summary>
public sealed class KeyRing : IDisposable
{
    private readonly Dictionary<uint, DataKey> _keys;

    public KeyRing(IEnumerable<DataKey> keys, uint currentKeyId)
    {
        _keys = keys.ToDictionary(k => k.Id);
        if (!_keys.TryGetValue(currentKeyId, out var current))
        {
            throw new ArgumentException($"The current data key {currentKeyId} is not in the ring.", nameof(currentKeyId));
        }

        Current = current;
    }

    public DataKey Current { get; }

    public IReadOnlyCollection<uint> KeyIds => _keys.Keys;

    public DataKey? Find(uint id) => _keys.GetValueOrDefault(id);

    public byte[] Encrypt(RecordIdentity record, ReadOnlySpan<byte> plaintext) =>
        ValueEnvelope.Encrypt(Current, record, plaintext);

    public byte[] Decrypt(RecordIdentity record, ReadOnlySpan<byte> envelope) =>
        ValueEnvelope.Decrypt(Find, record, envelope);

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }
}
