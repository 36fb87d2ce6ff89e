using SsoVault.Core.Applications;
using SsoVault.Core.Errors;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;

namespace SsoVault.Core.Entsso;

/// <summary>
/// Applies ENTSSO's application and mappings files in one transaction each: every entry is applied, or none is, and
/// the first refusal names the file and line of the element that caused it.
/// </summary>
public static class EntssoImport
{
    /// <param name="update">ssomanage -updateapps (partial update of existing applications) instead of -createapps.</param>
    public static Task<IReadOnlyList<ApplicationView>> ImportApplicationsAsync(SsoNode node, Caller caller, string path, bool update,
        CancellationToken cancellationToken) =>
        ImportApplicationsAsync(node, caller, ApplicationFile.Load(path), Path.GetFullPath(path), update, cancellationToken);

    /// <summary>Applies parsed entries (the SSO server parses request bodies without a file); <paramref name="source"/> names them in errors.</summary>
    public static async Task<IReadOnlyList<ApplicationView>> ImportApplicationsAsync(SsoNode node, Caller caller, IReadOnlyList<ApplicationFileEntry> entries,
        string source, bool update, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var views = new List<ApplicationView>(entries.Count);
        foreach (var entry in entries)
        {
            try
            {
                views.Add(update
                    ? await ApplicationService.UpdateInAsync(transaction, node, caller, entry.Definition.Name, entry.Update, cancellationToken)
                    : await ApplicationService.CreateInAsync(transaction, node, caller, entry.Definition, cancellationToken));
            }
            catch (SsoException e)
            {
                throw EntssoXml.AtLine(source, entry.Element, e);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return views;
    }

    /// <param name="delete">ssomanage -deletemappings instead of -createmappings.</param>
    public static Task<IReadOnlyList<MappingView>> ImportMappingsAsync(SsoNode node, Caller caller, string path, bool delete,
        CancellationToken cancellationToken) =>
        ImportMappingsAsync(node, caller, MappingFile.Load(path), Path.GetFullPath(path), delete, cancellationToken);

    /// <summary>Applies parsed entries (the SSO server parses request bodies without a file); <paramref name="source"/> names them in errors.</summary>
    public static async Task<IReadOnlyList<MappingView>> ImportMappingsAsync(SsoNode node, Caller caller, IReadOnlyList<MappingFileEntry> entries,
        string source, bool delete, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var views = new List<MappingView>(entries.Count);
        foreach (var entry in entries)
        {
            try
            {
                if (delete)
                {
                    var (app, mapping) = await MappingService.FindForChangeAsync(transaction, caller, entry.Application,
                        (await transaction.Applications.FindAsync(entry.Application, cancellationToken))?.Type == Storage.ApplicationType.HostGroup
                            ? entry.ExternalUser
                            : entry.WindowsAccount,
                        cancellationToken);
                    views.Add(await MappingService.ViewAsync(transaction, mapping, cancellationToken));
                    await transaction.Mappings.DeleteAsync(mapping.Id, cancellationToken);
                }
                else
                {
                    var mapping = await MappingService.CreateInAsync(transaction, node, caller, entry.Application, entry.WindowsAccount, entry.ExternalUser,
                        cancellationToken);
                    views.Add(await MappingService.ViewAsync(transaction, mapping, cancellationToken));
                }
            }
            catch (SsoException e)
            {
                throw EntssoXml.AtLine(source, entry.Element, e);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return views;
    }
}
