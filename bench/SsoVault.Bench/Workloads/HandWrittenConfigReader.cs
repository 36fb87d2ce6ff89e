using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using SsoVault.Core.Crypto;

namespace SsoVault.Bench.Workloads;

/// <summary>
/// The limit of a config-store read: the least work that returns the same plaintexts from the same file. One open
/// connection, one prepared command, one cached <see cref="AesGcm"/>; per property, the envelope's documented layout
/// (version | key id | nonce | ciphertext | tag; AAD = header | record identity) is opened by hand.
/// </summary>
internal sealed class HandWrittenConfigReader : IAsyncDisposable
{
    private const int HeaderSize = 5;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _command;
    private readonly SqliteParameter _application;
    private readonly SqliteParameter _identifier;
    private readonly uint _keyId;
    private readonly AesGcm _aes;

    private HandWrittenConfigReader(SqliteConnection connection, uint keyId, byte[] key)
    {
        _connection = connection;
        _keyId = keyId;
        _aes = new AesGcm(key, TagSize);
        CryptographicOperations.ZeroMemory(key);
        _command = connection.CreateCommand();
        _command.CommandText = "SELECT property, envelope FROM config_values WHERE app_name = $app AND identifier = $id ORDER BY seq";
        _application = _command.Parameters.Add("$app", SqliteType.Text);
        _identifier = _command.Parameters.Add("$id", SqliteType.Text);
        _command.Prepare();
    }

    public static HandWrittenConfigReader Open(string databasePath, uint keyId, byte[] key)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        return new HandWrittenConfigReader(connection, keyId, key);
    }

    public List<(string Name, string Value)> Read(string application, string identifier)
    {
        _application.Value = application;
        _identifier.Value = identifier;
        var properties = new List<(string, string)>(2);
        using var reader = _command.ExecuteReader();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            var envelope = (byte[])reader.GetValue(1);
            properties.Add((name, Decrypt(RecordIdentity.ConfigProperty(application, identifier, name).Bytes, envelope)));
        }

        return properties;
    }

    private string Decrypt(byte[] record, byte[] envelope)
    {
        if (envelope.Length < HeaderSize + NonceSize + TagSize || envelope[0] != 1 || BinaryPrimitives.ReadUInt32BigEndian(envelope.AsSpan(1)) != _keyId)
        {
            throw new InvalidOperationException("Not an envelope of the current data key.");
        }

        var length = envelope.Length - HeaderSize - NonceSize - TagSize;
        Span<byte> aad = stackalloc byte[HeaderSize + record.Length];
        envelope.AsSpan(0, HeaderSize).CopyTo(aad);
        record.CopyTo(aad[HeaderSize..]);
        Span<byte> plaintext = stackalloc byte[length];
        _aes.Decrypt(envelope.AsSpan(HeaderSize, NonceSize), envelope.AsSpan(HeaderSize + NonceSize, length), envelope.AsSpan(envelope.Length - TagSize),
            plaintext, aad);
        return Encoding.UTF8.GetString(plaintext);
    }

    public async ValueTask DisposeAsync()
    {
        await _command.DisposeAsync();
        await _connection.DisposeAsync();
        _aes.Dispose();
    }
}
