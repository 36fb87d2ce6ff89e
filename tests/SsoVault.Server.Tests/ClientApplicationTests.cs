using SsoVault.Client;
using SsoVault.Server.Tests.Infrastructure;

namespace SsoVault.Server.Tests;

/// <summary>SsoVaultClient's ENTSSO-named methods against the real pipeline, with typed errors.</summary>
[Collection(ServerCollection.Name)]
public sealed class ClientApplicationTests(ServerFixture server)
{
    [Fact]
    public async Task Client_AdminAndRuntimeCalls_RoundTrip()
    {
        var directory = new TestDirectory(server);
        var app = "Crm" + directory.Suffix;
        var dan = directory.Name("dan");
        using var danHttp = await directory.UserAsync(dan);
        using var admin = new SsoVaultClient(server.NewHttpClient(), server.AdminKey);

        var created = await admin.CreateApplicationAsync(new ApplicationDefinition
        {
            Name = app,
            UserAccounts = [dan],
            Fields = [new FieldDefinition("User"), new FieldDefinition("Password", Masked: true)],
        });
        await admin.SetExternalCredentialsAsync(app, ["dan-pw"], user: dan, externalUser: "DAN1");
        var updated = await admin.UpdateApplicationAsync(app, new ApplicationUpdate { Description = "CRM", AllowTickets = true, ValidateTickets = false });
        await admin.EnableApplicationAsync(app);
        // Redeem-only needs validation off both globally and for the application; restored below for the other tests.
        await admin.SetTicketPolicyAsync(allowed: true, validated: false);
        var key = (await admin.CreateApiKeyAsync(dan)).Token;
        using var asDan = new SsoVaultClient(server.NewHttpClient(), key);
        var lookup = await asDan.GetCredentialsAsync(app, refresh: true);
        var ticket = await asDan.IssueTicketAsync();
        var redeemed = await admin.RedeemTicketAsync(app, ticket.Ticket);
        var validated = await admin.ValidateAndRedeemTicketAsync(app, ticket.Ticket, dan);
        await admin.SetTicketPolicyAsync(allowed: null, validated: true);
        var mappings = await admin.GetMappingsAsync(app);
        var global = await admin.GetGlobalInfoAsync();
        var denied = await Assert.ThrowsAsync<SsoVaultException>(() => asDan.DeleteApplicationAsync(app));
        await admin.DeleteApplicationAsync(app);
        var missing = await Assert.ThrowsAsync<SsoVaultException>(() => admin.GetApplicationInfoAsync(app));

        Assert.False(created.Enabled);
        Assert.Equal("CRM", updated.Description);
        Assert.Equal(["dan-pw"], lookup.Credentials);
        Assert.Equal("DAN1", redeemed.ExternalUser);
        Assert.Equal("dan-pw", validated.Credentials[0]);
        Assert.True(Assert.Single(mappings).Enabled);
        Assert.True(global.Settings.TicketsAllowed);
        Assert.Equal("AccessDenied", denied.Code);
        Assert.Equal(403, denied.Status);
        Assert.Equal("NotFound", missing.Code);
    }
}
