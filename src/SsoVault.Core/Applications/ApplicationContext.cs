using System.Collections.Concurrent;
using SsoVault.Core.Security;
using SsoVault.Core.Storage;

namespace SsoVault.Core.Applications;

/// <summary>
/// Everything a lookup needs to know about an application besides the caller's mapping: the application, the roles,
/// its fields and the global settings — six reads, which change rarely.
/// </summary>
internal sealed record ApplicationContext(ApplicationRecord App, SystemAccess System, ApplicationAccess Access, IReadOnlyList<FieldRecord> Fields,
    GlobalSettings Settings)
{
    public static async Task<ApplicationContext> LoadAsync(ISsoTransaction transaction, string application, CancellationToken cancellationToken)
    {
        var (app, system, access) = await ApplicationService.LoadAsync(transaction, application, cancellationToken);
        return new ApplicationContext(app, system, access, await transaction.Applications.GetFieldsAsync(app.Name, cancellationToken),
            await transaction.System.GetSettingsAsync(cancellationToken));
    }
}

/// <summary>
/// A node's cache of <see cref="ApplicationContext"/>s, valid while the change epochs they were read with hold — the
/// same rule as the credential cache, so a lookup that misses the credential cache reads only the caller's mapping and
/// credentials (benchmarks: 11 statements down to 3).
/// </summary>
public sealed class ApplicationContextCache
{
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (ChangeEpochs Epochs, ApplicationContext Context)> _entries = new(StringComparer.OrdinalIgnoreCase);

    internal async Task<ApplicationContext> GetAsync(ISsoTransaction transaction, string application, ChangeEpochs? epochs,
        CancellationToken cancellationToken)
    {
        if (epochs is { } current && _entries.TryGetValue(application, out var entry) && entry.Epochs == current)
        {
            return entry.Context;
        }

        var context = await ApplicationContext.LoadAsync(transaction, application, cancellationToken);
        if (epochs is { } read)
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }

            _entries[application] = (read, context);
        }

        return context;
    }
}
