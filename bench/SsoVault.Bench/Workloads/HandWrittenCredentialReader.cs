using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using SsoVault.Bench.Fixtures;

namespace SsoVault.Bench.Workloads;

/// <summary>
/// The limit of a credential lookup: the least work that returns the same plaintexts from the same file. One open
/// read-only connection, one prepared statement (the mapping and its credentials, joined), one cached
/// <see cref="AesGcm"/>, and one decrypt per field with its record identity built as the lookup builds it.
/// </summary>
internal sealed class HandWrittenCredentialReader : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _command;
    private readonly SqliteParameter _application;
    private readonly SqliteParameter _account;
    private readonly AesGcm _aes;
    private readonly byte[] _plaintext = new byte[4096];

    private HandWrittenCredentialReader(SqliteConnection connection, byte[] key)
    {
        _connection = connection;
        _aes = new AesGcm(key, RawEnvelope.TagSize);
        CryptographicOperations.ZeroMemory(key);
        _command = connection.CreateCommand();
        _command.CommandText = """
            SELECT m.external_user, c.ordinal, c.envelope FROM mappings m JOIN credentials c ON c.mapping_id = m.id
            WHERE m.app_name = $app AND m.windows_account = $win AND m.host_group = 0 AND m.enabled = 1 ORDER BY c.ordinal
            """;
        _application = _command.Parameters.Add("$app", SqliteType.Text);
        _account = _command.Parameters.Add("$win", SqliteType.Text);
        _command.Prepare();
    }

    public static HandWrittenCredentialReader Open(string databasePath, byte[] key)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        return new HandWrittenCredentialReader(connection, key);
    }

    public (string ExternalUser, List<string> Credentials) Read(string application, string windowsAccount)
    {
        _application.Value = application;
        _account.Value = windowsAccount;
        var external = "";
        var credentials = new List<string>(2);
        using var reader = _command.ExecuteReader();
        while (reader.Read())
        {
            external = reader.GetString(0);
            credentials.Add(OpenField(_aes, _plaintext, application, windowsAccount, external, reader.GetInt32(1), (byte[])reader.GetValue(2)));
        }

        return (external, credentials);
    }

    /// <summary>One credential field decrypted as the lookup does it: its record identity as additional data, into a reused buffer.</summary>
    internal static string OpenField(AesGcm aes, byte[] buffer, string application, string windowsAccount, string external, int ordinal, byte[] envelope)
    {
        var record = CredentialRecordIdentity.For(application, windowsAccount, external, ordinal).Bytes;
        var plaintext = buffer.AsSpan(0, RawEnvelope.PlaintextLength(envelope));
        RawEnvelope.Open(aes, envelope, record, plaintext);
        return Encoding.UTF8.GetString(plaintext);
    }

    public async ValueTask DisposeAsync()
    {
        await _command.DisposeAsync();
        await _connection.DisposeAsync();
        _aes.Dispose();
    }
}
