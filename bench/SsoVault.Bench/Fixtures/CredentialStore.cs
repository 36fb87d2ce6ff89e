using System.Globalization;
using SsoVault.Core.Applications;
using SsoVault.Core.Identity;

namespace SsoVault.Bench.Fixtures;

/// <summary>
/// What <see cref="CredentialBulkLoader"/> wrote: one individual application whose users are one directory group, and
/// per user a mapping to an external account with two 32-byte credentials whose values say whose they are, so every
/// lookup can be checked.
/// </summary>
internal sealed class CredentialStore
{
    public const string Application = "BenchCredApp";
    public const string Group = @"BENCH\Bench Users";
    public const int Fields = 2;

    private readonly Caller[] _callers;

    public CredentialStore(int users)
    {
        Users = users;
        _callers = new Caller[users];
        for (var user = 0; user < users; user++)
        {
            // What IdentityService.ResolveAsync returns for a member of the group (checked on a sample by the loader).
            _callers[user] = Caller.ForAccount(Account(user), [Group]);
        }
    }

    public int Users { get; }

    /// <summary>Values stored: one per credential field.</summary>
    public long Values => (long)Users * Fields;

    /// <summary>Callers are resolved once (as a server does when it authenticates a request), not per lookup.</summary>
    public Caller CallerOf(int user) => _callers[user];

    public static string Account(int user) => @"BENCH\user" + user.ToString("D7", CultureInfo.InvariantCulture);

    public static string ExternalUser(int user) => "ext" + user.ToString("D7", CultureInfo.InvariantCulture);

    /// <summary>A 32-character credential that tells whose it is and which field.</summary>
    public static string ValueOf(int user, int ordinal) =>
        $"field{ordinal}:{user.ToString("D7", CultureInfo.InvariantCulture)}".PadRight(32, '.');

    /// <summary>Every lookup is checked, so a workload that returns the wrong user's values or nothing fails instead of looking fast.</summary>
    public static void Check(int user, string externalUser, IReadOnlyList<string> credentials)
    {
        if (externalUser != ExternalUser(user) || credentials.Count != Fields)
        {
            throw new InvalidOperationException($"Looked up {externalUser} with {credentials.Count} credentials for user {user}.");
        }

        for (var i = 0; i < Fields; i++)
        {
            if (credentials[i] != ValueOf(user, i + 1))
            {
                throw new InvalidOperationException($"Looked up a wrong credential {i + 1} for user {user}.");
            }
        }
    }

    public static void Check(int user, CredentialLookupResult result) => Check(user, result.ExternalUser, result.Credentials);
}
