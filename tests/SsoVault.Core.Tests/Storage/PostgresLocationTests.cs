using SsoVault.Core.Errors;
using SsoVault.Storage.Postgres;

namespace SsoVault.Core.Tests.Storage;

/// <summary>PostgreSQL locations as users write them; no server needed.</summary>
public sealed class PostgresLocationTests
{
    [Fact]
    public void Parse_UrlWithEscapedPasswordAndSslMode_EveryPartRead()
    {
        var builder = PostgresLocation.Parse("postgres://sso%40corp:p%3Ass%2Fw0rd@db.example:6543/sso_vault?sslmode=require");

        Assert.Equal("sso@corp", builder.Username);
        Assert.Equal("p:ss/w0rd", builder.Password);
        Assert.Equal("db.example", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("sso_vault", builder.Database);
        Assert.Equal(Npgsql.SslMode.Require, builder.SslMode);
    }

    [Theory]
    [InlineData("postgres://admin:hunter2@db.example/sso", "postgres://admin@db.example:5432/sso")]
    [InlineData("postgresql://admin:hunter2@db.example:5433/sso", "postgres://admin@db.example:5433/sso")]
    [InlineData("Host=db.example;Port=5433;Database=sso;Username=admin;Password=hunter2", "postgres://admin@db.example:5433/sso")]
    public void Display_AnyForm_NeverShowsThePassword(string location, string expected)
    {
        Assert.True(PostgresLocation.IsPostgres(location));
        Assert.Equal(expected, PostgresLocation.Display(location));
        Assert.Equal(expected, new PostgresDatabaseProvider().Normalize(location) is { } normalized ? PostgresLocation.Display(normalized) : "");
    }

    [Fact]
    public void WithDefaults_NoTimeoutsGiven_FailFastDefaults()
    {
        var builder = PostgresLocation.WithDefaults(PostgresLocation.Parse("postgres://admin:hunter2@db.example/sso"));

        Assert.Equal(PostgresLocation.DefaultConnectTimeoutSeconds, builder.Timeout);
        Assert.Equal(PostgresLocation.DefaultCommandTimeoutSeconds, builder.CommandTimeout);
        Assert.Equal("ssovault", builder.ApplicationName);
        Assert.Equal("hunter2", builder.Password);
    }

    [Theory]
    [InlineData("postgres://admin@db.example/sso?connect_timeout=15", 15, PostgresLocation.DefaultCommandTimeoutSeconds)]
    [InlineData("Host=db.example;Database=sso;Timeout=15;Command Timeout=30", 15, 30)]
    [InlineData("Host=db.example;Database=sso;Command Timeout=0", PostgresLocation.DefaultConnectTimeoutSeconds, 0)]
    public void WithDefaults_TimeoutsGiven_TheLocationWins(string location, int connect, int command)
    {
        var builder = PostgresLocation.WithDefaults(PostgresLocation.Parse(location));

        Assert.Equal(connect, builder.Timeout);
        Assert.Equal(command, builder.CommandTimeout);
    }

    [Theory]
    [InlineData("/var/lib/ssovault/ssodb.sqlite")]
    [InlineData("ssodb.sqlite")]
    [InlineData("C:\\sso\\host=db.sqlite")]
    public void IsPostgres_FilePaths_False(string location) => Assert.False(PostgresLocation.IsPostgres(location));

    [Theory]
    [InlineData("postgres://admin:hunter2@/sso")]
    [InlineData("Host=db;Password=hunter2;Bogus Keyword=1")]
    [InlineData("mysql://admin:hunter2@db/sso")]
    public void Parse_Malformed_InvalidInputWithoutThePassword(string location)
    {
        var error = Assert.Throws<SsoException>(() => PostgresLocation.Parse(location));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
