using SsoVault.Core.MasterSecrets;

namespace SsoVault.Cli.Commands;

/// <summary>The text form of 'secret status', shared with 'up'.</summary>
internal static class StatusPrinter
{
    public static void Print(TextWriter o, SecretStatus status)
    {
        o.WriteLine($"Master secret server:  {status.SecretServer}{(status.ThisNodeIsSecretServer ? " (this node)" : $" (this node is '{status.ThisNode}')")}");
        o.WriteLine($"Current secret:        {Describe(status.Current)}");
        o.WriteLine($"Previous secret:       {Describe(status.Previous)}");
        o.WriteLine($"Last backup:           {(status.LastBackupUtc is { } at ? $"{at:u} of {status.LastBackupMsid}" : "never")}" +
                    $"{(status.CurrentSecretBackedUp ? " (covers the current secret)" : "")}");
        o.WriteLine($"Secret on this node:   {Local(status.LocalSecret)}");
        foreach (var key in status.DataKeys)
        {
            o.WriteLine($"Data key {key.Id,-4}           {key.State.ToString().ToLowerInvariant(),-7} {key.Values,10:N0} values  {key.Encryptions,12:N0} encryptions  under {key.WrappedUnderMsid}" +
                        (key.WaitingFor is null ? "" : $"  waiting for {key.WaitingFor}"));
        }

        if (status.Reencryption is { } job)
        {
            o.WriteLine($"Re-encryption:         job {job.JobId} to data key {job.TargetKeyId}: " +
                        (job.Finished ? $"finished, {job.Processed:N0} values moved" : $"{job.Processed:N0} moved, {job.Remaining:N0} to go") +
                        (job.Skipped > 0 ? $", {job.Skipped:N0} could not be decrypted" : ""));
        }

        if (status.Warnings.Count == 0)
        {
            o.WriteLine("No warnings.");
            return;
        }

        foreach (var warning in status.Warnings)
        {
            o.WriteLine($"WARNING: {warning}");
        }
    }

    private static string Describe(SecretStatusSecret? secret) =>
        secret is null ? "none" : $"{secret.Msid}  kcv {secret.KeyCheck}  created {secret.CreatedUtc:u} ({secret.AgeDays} days old)";

    private static string Local(LocalSecretState state) => state switch
    {
        LocalSecretState.HoldsCurrent => "held (every data key unwraps)",
        LocalSecretState.Missing => "none",
        LocalSecretState.Damaged => "DAMAGED (restore from backup)",
        LocalSecretState.Stale => "stale (lacks a secret the key ring needs)",
        _ => state.ToString(),
    };
}
