using System.Net.Http.Headers;
using System.Text;

namespace SsoVault.Server.Tests.Infrastructure;

/// <summary>ENTSSO's application and mappings files for one test's own names (tests share one SSO system).</summary>
public static class EntssoFiles
{
    public static string Application(string app, string users, string admins) => $"""
        <?xml version="1.0"?>
        <SSO>
          <application name="{app}">
            <description>SAP ERP</description>
            <contact>sap@example.com</contact>
            <appuserAccount>{users}</appuserAccount>
            <appAdminAccount>{admins}</appAdminAccount>
            <field ordinal="0" label="User Id" masked="no" />
            <field ordinal="1" label="Password" masked="yes" />
            <flags groupApp="no" allowTickets="yes" validateTickets="yes" enableApp="no" />
          </application>
        </SSO>
        """;

    public static string Mapping(string domain, string user, string app, string externalUser) => $"""
        <sso>
          <mapping>
            <windowsDomain>{domain}</windowsDomain>
            <windowsUserId>{user}</windowsUserId>
            <externalApplication>{app}</externalApplication>
            <externalUserId>{externalUser}</externalUserId>
          </mapping>
        </sso>
        """;

    public static StringContent Xml(string text)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        return content;
    }

    public static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
