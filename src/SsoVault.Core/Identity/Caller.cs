namespace SsoVault.Core.Identity;

/// <summary>
/// Who is calling: an account of the directory with every group it belongs to (transitively), or the local operator —
/// someone running the CLI on a node with access to its files, who could read the database and secret store anyway
/// and therefore has the rights of an SSO administrator.
/// </summary>
public sealed class Caller
{
    private Caller(string account, IReadOnlySet<string> memberships, bool isLocalOperator)
    {
        Account = account;
        Memberships = memberships;
        IsLocalOperator = isLocalOperator;
    }

    public string Account { get; }

    /// <summary>The account itself and every group it is a member of, directly or through nested groups.</summary>
    public IReadOnlySet<string> Memberships { get; }

    public bool IsLocalOperator { get; }

    public static Caller LocalOperator { get; } =
        new($"(local operator {Environment.UserName})", new HashSet<string>(StringComparer.OrdinalIgnoreCase), isLocalOperator: true);

    public static Caller ForAccount(string account, IEnumerable<string> memberships) =>
        new(account, new HashSet<string>(memberships.Append(account), StringComparer.OrdinalIgnoreCase), isLocalOperator: false);

    /// <summary>True when the caller is, or belongs to, any of the accounts.</summary>
    public bool IsAnyOf(IEnumerable<string> accounts) => accounts.Any(Memberships.Contains);

    public override string ToString() => Account;
}
