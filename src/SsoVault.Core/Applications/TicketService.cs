using System.Buffers.Binary;
using System.Text;
using SsoVault.Core.ConfigStore;
using SsoVault.Core.Crypto;
using SsoVault.Core.Diagnostics;
using SsoVault.Core.Errors;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Core.Security;
using SsoVault.Core.Storage;

namespace SsoVault.Core.Applications;

public sealed record IssuedTicket(string Ticket, string Account, DateTimeOffset IssuedUtc, DateTimeOffset ExpiresUtc);

/// <summary>
/// SSO tickets (ENTSSO §4.6): an encrypted, base64url token naming the user it was issued to and when, so a trusted
/// process can later redeem it for that user's credentials. Redeem-only needs an application administrator;
/// validate-and-redeem also checks that the message's original sender is the ticket's user. The ticket is a value
/// envelope under the key ring, bound to the purpose "ticket": it cannot be forged or altered without the data keys.
/// </summary>
public static class TicketService
{
    private const byte PayloadVersion = 1;
    private static readonly RecordIdentity TicketIdentity = RecordIdentity.Of("ticket");

    /// <summary>ENTSSO's IssueTicket: for the caller itself; tickets must be allowed system-wide.</summary>
    public static async Task<IssuedTicket> IssueAsync(SsoNode node, Caller caller, CancellationToken cancellationToken)
    {
        if (caller.IsLocalOperator)
        {
            throw new SsoException(SsoErrorCode.InvalidInput, "A ticket names a user; the local operator is not one.",
                @"Issue it as the user: --as DOMAIN\user, or through a server with the user's API key.");
        }

        var ring = await node.GetKeyRingAsync(cancellationToken);
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.IssueTicket, await AccessLoader.SystemAsync(transaction, cancellationToken));
        ring = await node.GetKeyRingForWritingAsync(transaction, cancellationToken);
        var settings = await transaction.System.GetSettingsAsync(cancellationToken);
        if (!settings.TicketsAllowed)
        {
            throw new SsoException(SsoErrorCode.Disabled, "Tickets are not allowed in this SSO system (ENTSSO event 10539).",
                "An SSO administrator allows them with: ssovault system tickets --allowed yes");
        }

        var issued = node.Clock.GetUtcNow();
        var account = Encoding.UTF8.GetBytes(caller.Account);
        var payload = new byte[1 + 8 + account.Length];
        payload[0] = PayloadVersion;
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(1), issued.ToUnixTimeMilliseconds());
        account.CopyTo(payload, 9);
        var ticket = Base64Url(ring.Encrypt(TicketIdentity, payload));
        await transaction.DataKeys.AddEncryptionsAsync(ring.Current.Id, 1, cancellationToken);
        await transaction.Audit.AddAsync(new AuditEvent(issued, AuditEventIds.TicketIssued, node.Name, caller.Account, $"Ticket issued to {caller.Account}"),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new IssuedTicket(ticket, caller.Account, issued, issued.AddMinutes(settings.TicketTimeoutMinutes));
    }

    /// <summary>
    /// ENTSSO's RedeemTicket / ValidateAndRedeemTicket. <paramref name="sender"/> is the original sender of the message
    /// the ticket travelled with; it is required when the system or the application demands validation.
    /// </summary>
    public static async Task<CredentialLookupResult> RedeemAsync(SsoNode node, Caller caller, string application, string ticket, string? sender,
        CancellationToken cancellationToken)
    {
        await node.GetKeyRingAsync(cancellationToken);
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var (app, system, access) = await ApplicationService.LoadAsync(transaction, ConfigNames.Application(application), cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.RedeemTicket, system, access);
        var settings = await transaction.System.GetSettingsAsync(cancellationToken);
        if (!settings.TicketsAllowed || !SsoFlags.Has(app.Flags, SsoFlags.AllowTickets))
        {
            throw new SsoException(SsoErrorCode.Disabled,
                settings.TicketsAllowed ? $"Application '{app.Name}' does not allow tickets (ENTSSO event 10540)." : "Tickets are not allowed in this SSO system (ENTSSO event 10539).",
                "An SSO administrator allows them: ssovault system tickets --allowed yes, and ssovault app update APP --allow-tickets yes");
        }

        var (user, issued) = await OpenAsync(node, ticket, cancellationToken);
        var validate = settings.TicketsValidated || SsoFlags.Has(app.Flags, SsoFlags.ValidateTickets);
        if (validate && sender is null)
        {
            throw new SsoException(SsoErrorCode.InvalidTicket,
                $"Tickets for '{app.Name}' must be validated: the redeemer must name the message's original sender (ENTSSO event 10541).",
                "Redeem with --sender DOMAIN\\user (validate and redeem).");
        }

        if (sender is not null && !string.Equals(AccountName.Validate(sender), user, StringComparison.OrdinalIgnoreCase))
        {
            throw new SsoException(SsoErrorCode.InvalidTicket, "The ticket was not issued to the message's sender (ENTSSO event 10594).",
                "A ticket can only be redeemed for the user it was issued to.");
        }

        var timeout = app.TicketTimeoutMinutes ?? settings.TicketTimeoutMinutes;
        var now = node.Clock.GetUtcNow();
        if (now > issued.AddMinutes(timeout) && SsoFlags.Has(app.Flags, SsoFlags.AppTicketTimeout))
        {
            throw new SsoException(SsoErrorCode.InvalidTicket,
                $"The ticket expired at {issued.AddMinutes(timeout):u} (timeout {timeout} minutes; ENTSSO event 10544).",
                "Issue a new ticket; make the timeout cover the time between issue and redemption.");
        }

        var ticketUser = await transaction.Accounts.FindAsync(user, cancellationToken) ?? throw new SsoException(
            SsoErrorCode.InvalidTicket, "The ticket's user no longer exists in the directory.", "Issue a new ticket.");
        var asUser = Caller.ForAccount(ticketUser.Name, await transaction.Accounts.ResolveMembershipsAsync(ticketUser.Name, cancellationToken));
        if (!asUser.IsAnyOf(access.UserAccounts))
        {
            throw new SsoException(SsoErrorCode.AccessDenied,
                $"The ticket's user '{ticketUser.Name}' is not in the Application Users of '{app.Name}' (ENTSSO event 10596).",
                "Add the user to the application's users account.");
        }

        var context = new ApplicationContext(app, system, access, await transaction.Applications.GetFieldsAsync(app.Name, cancellationToken), settings);
        var result = await CredentialService.LookupForAsync(node,
            (application, account) => transaction.Mappings.FindWithCredentialsAsync(application, account, cancellationToken), context, asUser, cancellationToken);
        await transaction.Audit.AddAsync(new AuditEvent(now, AuditEventIds.TicketRedeemed, node.Name, caller.Account,
            $"Ticket of {ticketUser.Name} redeemed for {app.Name}{(sender is null ? "" : " (validated)")}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task<(string User, DateTimeOffset Issued)> OpenAsync(SsoNode node, string ticket, CancellationToken cancellationToken)
    {
        try
        {
            var payload = await node.DecryptAsync(TicketIdentity, FromBase64Url(ticket), cancellationToken);
            if (payload.Length < 10 || payload[0] != PayloadVersion)
            {
                throw BadTicket();
            }

            var issued = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(1)));
            return (Encoding.UTF8.GetString(payload, 9, payload.Length - 9), issued);
        }
        catch (SsoException e) when (e.Code == SsoErrorCode.DecryptionFailed)
        {
            throw BadTicket();
        }
    }

    private static SsoException BadTicket() => new(SsoErrorCode.InvalidTicket,
        "The ticket is malformed, altered, or was not issued by this SSO system (ENTSSO events 10592/10593).", "Issue a new ticket.");

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    private static byte[] FromBase64Url(string text)
    {
        if (text.Length is 0 or > 4096)
        {
            throw BadTicket();
        }

        try
        {
            return System.Buffers.Text.Base64Url.DecodeFromChars(text.Trim());
        }
        catch (FormatException)
        {
            throw BadTicket();
        }
    }
}
