using System.Text.Json;
using SsoVault.Core.Identity;
using SsoVault.Core.Storage;

namespace SsoVault.Bench.Fixtures;

/// <summary>
/// A node folder for the server rows: a real SSO system with <see cref="CredentialBulkLoader"/>'s credentials and an
/// API key per caller for a spread of its users. The first key is made by <see cref="IdentityService.CreateApiKeyAsync"/>;
/// the others, the same records, are written through the repository in one transaction (the service commits, and so
/// fsyncs, once per key). The node is closed again: the server opens the folder itself.
/// </summary>
internal sealed record ServerNode(string Home, CredentialStore Store, IReadOnlyList<(int User, string Token)> Keys)
{
    public const string LookupPath = "v1/apps/" + CredentialStore.Application + "/credentials";

    public static async Task<ServerNode> CreateAsync(string folder, int users, int callers, CancellationToken cancellationToken)
    {
        await using var node = await BenchNode.CreateAsync(folder, cancellationToken);
        var store = await CredentialBulkLoader.LoadAsync(node, users, cancellationToken);
        var picked = Enumerable.Range(0, Math.Min(callers, users)).Select(i => (int)((long)i * users / Math.Min(callers, users))).Distinct().ToArray();
        var keys = new List<(int, string)>(picked.Length);
        var first = await IdentityService.CreateApiKeyAsync(node, Caller.LocalOperator, CredentialStore.Account(picked[0]), "bench", cancellationToken);
        keys.Add((picked[0], first.Token));
        await using (var transaction = await node.Database.BeginAsync(cancellationToken))
        {
            foreach (var user in picked.Skip(1))
            {
                var (id, token, hash) = ApiKeyToken.Create();
                await transaction.Accounts.AddApiKeyAsync(new ApiKeyRecord(id, CredentialStore.Account(user), hash, "bench", node.Clock.GetUtcNow(), null),
                    cancellationToken);
                keys.Add((user, token));
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return new ServerNode(folder, store, keys);
    }

    /// <summary>Checks one answer of the lookup endpoint (JSON) against the values stored for its user.</summary>
    public static void Check(int user, byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        CredentialStore.Check(user, root.GetProperty("externalUser").GetString()!,
            root.GetProperty("credentials").EnumerateArray().Select(c => c.GetString()!).ToList());
    }

    /// <summary>Writes "token TAB base64 body" lines for <c>ssovault-bench --minimal-server</c>.</summary>
    public static void WriteAnswers(string path, IEnumerable<(string Token, byte[] Body)> answers) =>
        File.WriteAllLines(path, answers.Select(a => a.Token + "\t" + Convert.ToBase64String(a.Body)));
}
