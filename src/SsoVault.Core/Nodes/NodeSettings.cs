using System.Text.Json;
using System.Text.Json.Serialization;
using SsoVault.Core.Errors;
using SsoVault.Core.IO;

namespace SsoVault.Core.Nodes;

/// <summary>What a node knows about itself: its name, its database, and the SSO system it belongs to. Not secret.</summary>
public sealed record NodeSettings(string NodeName, string Database, Guid SystemId)
{
    public static NodeSettings Load(NodeHome home)
    {
        if (!home.IsInitialized)
        {
            throw new SsoException(SsoErrorCode.NodeNotInitialized,
                $"{home.Root} holds no SsoVault node.",
                "Create a new SSO system with 'ssovault init --backup FILE', join an existing one with " +
                "'ssovault init --join --db PATH --node-name NAME', or point --home / SSOVAULT_HOME at the node's folder.");
        }

        try
        {
            var settings = JsonSerializer.Deserialize(File.ReadAllText(home.SettingsPath), NodeSettingsJson.Default.NodeSettings);
            if (settings is null || string.IsNullOrWhiteSpace(settings.NodeName) || string.IsNullOrWhiteSpace(settings.Database))
            {
                throw new JsonException("missing fields");
            }

            return settings;
        }
        catch (JsonException e)
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"The node settings {home.SettingsPath} are not valid: {e.Message}",
                "Fix the file by hand (fields nodeName, database, systemId) or join the node again into a new folder.", e);
        }
    }

    public void Save(NodeHome home)
    {
        Directory.CreateDirectory(home.Root);
        AtomicFile.Write(home.SettingsPath, JsonSerializer.SerializeToUtf8Bytes(this, NodeSettingsJson.Default.NodeSettings), overwrite: true);
    }

    /// <summary>Node names follow host-name rules: letters, digits, '-', '.', '_', 1 to 63 characters.</summary>
    public static string ValidateNodeName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 63 ||
            !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"'{name}' is not a valid node name.",
                "Use 1 to 63 letters, digits, '-', '.' or '_' (a host name is a good choice).");
        }

        return name;
    }

    /// <summary>The default node name: this machine's host name.</summary>
    public static string DefaultNodeName() => ValidateNodeName(Environment.MachineName);
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(NodeSettings))]
internal sealed partial class NodeSettingsJson : JsonSerializerContext;
