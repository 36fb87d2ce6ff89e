using SsoVault.Core.Identity;

namespace SsoVault.Server.Tests;

public sealed class ApiKeyTokenTests
{
    /// <summary>Regression: a secret whose base64url text holds '_' (about half of them) was refused as malformed.</summary>
    [Fact]
    public void Parse_EveryCreatedToken_GivesItsIdAndHash()
    {
        for (var i = 0; i < 500; i++)
        {
            var (id, token, hash) = ApiKeyToken.Create();

            var parsed = ApiKeyToken.Parse(token);

            Assert.Equal(id, parsed.Id);
            Assert.True(ApiKeyToken.Matches(parsed.SecretHash, hash), token);
        }
    }
}
