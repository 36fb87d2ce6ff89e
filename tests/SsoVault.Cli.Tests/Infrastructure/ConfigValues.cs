using System.Text;
using System.Text.Json;

namespace SsoVault.Cli.Tests.Infrastructure;

/// <summary>Deterministic config values (with multi-byte characters) written through the CLI and read back.</summary>
public static class ConfigValues
{
    /// <summary>
    /// Writes <paramref name="records"/> x <paramref name="perRecord"/> properties into app <paramref name="app"/> with
    /// one 'config set --values-file' per record, and returns what was written.
    /// </summary>
    public static async Task<Dictionary<(string Identifier, string Property), string>> WriteAsync(TestWorkspace ws, string node, string app,
        int records, int perRecord, int seed)
    {
        var random = new Random(seed);
        var written = new Dictionary<(string, string), string>();
        for (var r = 0; r < records; r++)
        {
            var identifier = $"record-{r:D3}";
            var lines = new StringBuilder();
            for (var p = 0; p < perRecord; p++)
            {
                var name = $"prop{p:D4}";
                var value = RandomValue(random);
                written[(identifier, name)] = value;
                lines.Append(name).Append('=').Append(value).Append('\n');
            }

            var file = ws.PathOf($"values-{app}-{r}.txt");
            await File.WriteAllTextAsync(file, lines.ToString());
            await ws.OkAsync(node, "config", "set", app, identifier, "--values-file", file);
            File.Delete(file);
        }

        return written;
    }

    /// <summary>Reads every record back with a runtime read and checks each value byte for byte.</summary>
    public static async Task AssertReadableAsync(TestWorkspace ws, string node, string app, Dictionary<(string Identifier, string Property), string> expected)
    {
        foreach (var group in expected.GroupBy(e => e.Key.Identifier))
        {
            var run = await ws.OkAsync(node, "config", "get", app, group.Key, "--runtime", "--json");
            var properties = run.Json.GetProperty("properties");
            foreach (var ((_, property), value) in group)
            {
                var actual = properties.GetProperty(property).GetString();
                Assert.True(Encoding.UTF8.GetBytes(value).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(actual!)),
                    $"{app}/{group.Key}/{property}: expected '{value}', got '{actual}'");
            }

            Assert.Equal(group.Count(), properties.EnumerateObject().Count());
        }
    }

    private static string RandomValue(Random random)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%&()*+,-./:;<>?@[]^_{|}~éßüñ€中文🔑";
        var length = random.Next(1, 48);
        var text = new StringBuilder(length);
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(alphabet);
        var pieces = new List<string>();
        while (elements.MoveNext())
        {
            pieces.Add((string)elements.Current);
        }

        for (var i = 0; i < length; i++)
        {
            text.Append(pieces[random.Next(pieces.Count)]);
        }

        return text.ToString().Trim() is { Length: > 0 } trimmed ? trimmed : "x";
    }

    public static JsonElement Property(this JsonElement element, string name) => element.GetProperty(name);
}
