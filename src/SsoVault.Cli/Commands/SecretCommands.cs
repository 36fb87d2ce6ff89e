using System.CommandLine;
using SsoVault.Cli.Infrastructure;
using SsoVault.Cli.Remote;
using SsoVault.Core.Backup;
using SsoVault.Core.Errors;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Nodes;

namespace SsoVault.Cli.Commands;

/// <summary>The master secret's life (ENTSSO's ssoconfig -generateSecret, -backupSecret, -restoreSecret, and more).</summary>
internal static class SecretCommands
{
    public static Command Create()
    {
        var command = new Command("secret", "Generate, back up, restore and check the master secret.");
        command.Subcommands.Add(Generate());
        command.Subcommands.Add(Backup());
        command.Subcommands.Add(Restore());
        command.Subcommands.Add(Reminder());
        command.Subcommands.Add(VerifyBackup());
        command.Subcommands.Add(Status());
        command.Subcommands.Add(RotateDataKey());
        command.Subcommands.Add(Reencrypt());
        command.Subcommands.Add(RetireKeys());
        command.Subcommands.Add(Drill());
        command.Subcommands.Add(Handover());
        return command;
    }

    private static Command Generate()
    {
        var backup = new Option<string>("--backup") { Description = "Where to write the backup of the new secret (required).", Required = true };
        var reminder = CommonOptions.Reminder();
        var passwordFile = CommonOptions.PasswordFile();
        var noReencrypt = NoReencrypt();
        var json = CommonOptions.Json();
        var command = new Command("generate",
            "Replace the master secret. Its backup is written and read back before it becomes current; the data keys are " +
            "re-wrapped in one transaction; the old secret stays as previous. Runs only on the master secret server.\n" +
            "Example: ssovault secret generate --backup /media/usb/ssovault-2026-11.bak --reminder \"safe 3\"")
        {
            backup, reminder, passwordFile, noReencrypt, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            await using var node = await context.OpenNodeAsync(cancellationToken);
            var (password, hint) = PasswordReader.ReadNew(parse.GetValue(passwordFile), parse.GetValue(reminder));
            using var _ = password;
            var result = await SecretGeneration.GenerateAsync(node, await context.CallerAsync(node, cancellationToken), parse.GetValue(backup)!, hint, password, cancellationToken);
            context.Output.Result(result, o =>
            {
                o.WriteLine($"New master secret {result.Msid} (key-check value {result.KeyCheck}) is current.");
                o.WriteLine($"Previous secret:  {result.PreviousMsid}");
                o.WriteLine($"Data keys re-wrapped: {result.DataKeysRewrapped}; every value stays readable.");
                o.WriteLine($"Backup: {result.BackupPath} (written, read back and verified before the switch).");
                o.WriteLine("Copy it to offline storage: older backups cannot restore this database any more.");
            });
            await ReencryptUnlessAskedNotToAsync(node, parse.GetValue(noReencrypt), context.Output.Json, cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Backup()
    {
        var file = new Argument<string>("FILE") { Description = "The backup file to write (must not exist)." };
        var reminder = CommonOptions.Reminder();
        var passwordFile = CommonOptions.PasswordFile();
        var json = CommonOptions.Json();
        var command = new Command("backup",
            "Back up the current and previous master secrets to a password-protected file. Runs only on the master secret server.\n" +
            "Example: ssovault secret backup /media/usb/ssovault.bak --reminder \"safe 3\"")
        {
            file, reminder, passwordFile, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            await using var node = await context.OpenNodeAsync(cancellationToken);
            var (password, hint) = PasswordReader.ReadNew(parse.GetValue(passwordFile), parse.GetValue(reminder));
            using var _ = password;
            var result = await SecretBackup.BackupAsync(node, await context.CallerAsync(node, cancellationToken), parse.GetValue(file)!, hint, password, cancellationToken);
            context.Output.Result(result, o =>
            {
                o.WriteLine($"Backed up master secret {result.Msid} (kcv {result.KeyCheck})" +
                            (result.PreviousMsid is { } p ? $" and previous secret {p}" : "") + $" to {result.BackupPath}.");
                o.WriteLine("The file was read back and verified. Keep it offline, and its password apart from it.");
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Restore()
    {
        var file = new Argument<string>("FILE") { Description = "The backup file to restore." };
        var passwordFile = CommonOptions.PasswordFile();
        var json = CommonOptions.Json();
        var command = new Command("restore",
            "Restore the master secret from a backup on the master secret server. Shows the reminder, asks for the password, and " +
            "accepts only a backup that holds the secret this database's key ring is wrapped under. Exit codes: 11 wrong password, " +
            "12 corrupt or foreign file, 13 a secret of another database.\n" +
            "Example: ssovault secret restore /media/usb/ssovault.bak")
        {
            file, passwordFile, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var header = BackupFileReader.ReadHeader(BackupFiles.Read(path));
            await using var node = await context.OpenNodeAsync(cancellationToken);
            ConsoleOutput.Note($"Password reminder: {(header.Reminder.Length > 0 ? header.Reminder : "(none)")}");
            using var password = PasswordReader.Read(parse.GetValue(passwordFile), confirm: false);
            var result = await SecretRestore.RestoreAsync(node, await context.CallerAsync(node, cancellationToken), path, password, cancellationToken);
            context.Output.Result(result, o =>
            {
                o.WriteLine($"Restored master secret(s) {string.Join(", ", result.RestoredMsids)} from {result.BackupPath}.");
                o.WriteLine($"The current secret {result.Msid} (kcv {result.KeyCheck}) unwraps every data key. The operation completed successfully.");
                if (result.DamagedStoreSetAsideAs is { } aside)
                {
                    o.WriteLine($"The damaged secret store was set aside as {aside}.");
                }
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Reminder()
    {
        var file = new Argument<string>("FILE") { Description = "A backup file." };
        var json = CommonOptions.Json();
        var command = new Command("reminder", "Show a backup file's password reminder (no password needed).\nExample: ssovault secret reminder ssovault.bak")
        {
            file, json,
        };
        CommandRunner.SetAction(command, json, (parse, context, _) =>
        {
            var header = BackupFileReader.ReadHeader(BackupFiles.Read(parse.GetValue(file)!));
            context.Output.Result(new { reminder = header.Reminder, created = header.CreatedUtc, systemId = header.SystemId }, o =>
                o.WriteLine(header.Reminder.Length > 0 ? header.Reminder : "(this backup has no password reminder)"));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Command VerifyBackup()
    {
        var file = new Argument<string>("FILE") { Description = "The backup file to check." };
        var passwordFile = CommonOptions.PasswordFile();
        var json = CommonOptions.Json();
        var command = new Command("verify-backup",
            "Check a backup offline: integrity, password, the secrets it holds, and (on a node) whether it would restore this " +
            "database. Changes nothing.\nExample: ssovault secret verify-backup /media/usb/ssovault.bak")
        {
            file, passwordFile, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var header = BackupFileReader.ReadHeader(BackupFiles.Read(path));
            ConsoleOutput.Note($"Password reminder: {(header.Reminder.Length > 0 ? header.Reminder : "(none)")}");
            using var password = PasswordReader.Read(parse.GetValue(passwordFile), confirm: false);
            await using var node = context.Home.IsInitialized ? await context.OpenNodeAsync(cancellationToken) : null;
            var result = await BackupVerification.VerifyAsync(path, password, node, cancellationToken);
            context.Output.Result(result, o =>
            {
                o.WriteLine($"{result.BackupPath}: intact, and the password is right.");
                o.WriteLine($"  written {result.CreatedUtc:u} for SSO system {result.SystemId} (format v{result.FormatVersion}, PBKDF2 {result.KdfIterations:N0} iterations)");
                foreach (var s in result.Secrets)
                {
                    o.WriteLine($"  {s.Role.ToString().ToLowerInvariant(),-8} {s.Msid}  kcv {s.KeyCheck}  created {s.CreatedUtc:u}" +
                                (node is null ? "" : s.NeededByDatabase ? "  (needed by this database)" : "  (not needed by this database)"));
                }

                o.WriteLine(result.DatabaseVerdict is null
                    ? "  (no node here: not compared with a database)"
                    : $"  Restores this database? {result.DatabaseVerdict}");
            });
            return result.RestoresThisDatabase == false ? SsoVault.Core.Errors.ExitCodes.For(SsoErrorCode.WrongSecret) : ExitCodes.Success;
        });
        return command;
    }

    private static Command RotateDataKey()
    {
        var noReencrypt = NoReencrypt();
        var json = CommonOptions.Json();
        var command = new Command("rotate-data-key",
            "Start a new data key for new writes and move every value to it (re-encryption runs here unless --no-reencrypt; " +
            "a running 'ssovault serve' also resumes it). Nothing is blocked meanwhile. Runs on the master secret server.\n" +
            "Example: ssovault secret rotate-data-key")
        {
            noReencrypt, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            await using var node = await context.OpenNodeAsync(cancellationToken);
            var result = await DataKeyRotation.RotateAsync(node, await context.CallerAsync(node, cancellationToken), cancellationToken);
            context.Output.Result(result, o => o.WriteLine(
                $"Data key {result.NewKeyId} now encrypts new values; re-encryption job {result.JobId} moves {result.ValuesToMove:N0} existing values to it."));
            await ReencryptUnlessAskedNotToAsync(node, parse.GetValue(noReencrypt), context.Output.Json, cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Reencrypt()
    {
        var batch = new Option<int>("--batch-size") { Description = "Values per transaction (default 1,000).", DefaultValueFactory = _ => 1000 };
        var rest = new Option<double>("--rest")
        {
            Description = "Pause after each batch, as a multiple of the batch's own time (default 1: half the time working, so lookups keep most of their speed; 0: full speed).",
            DefaultValueFactory = _ => 1.0,
        };
        var json = CommonOptions.Json();
        var command = new Command("reencrypt", "Run (or resume) the re-encryption job to its end, with progress. Example: ssovault secret reencrypt --rest 0")
        {
            batch, rest, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            if (parse.GetValue(batch) is < 1 or > 100_000 || parse.GetValue(rest) is < 0 or > 100)
            {
                throw new SsoException(SsoErrorCode.InvalidInput, "--batch-size takes 1 to 100,000 and --rest 0 to 100.", "Example: --batch-size 1000 --rest 1");
            }

            await using var node = await context.OpenNodeAsync(cancellationToken);
            var result = await ReencryptionJob.RunAsync(node, new ReencryptionOptions(parse.GetValue(batch), parse.GetValue(rest)),
                context.Output.Json ? null : new ReencryptionProgressPrinter(), cancellationToken);
            context.Output.Result((object?)result ?? new { job = "none" }, o => o.WriteLine(result is null
                ? "There is no re-encryption job."
                : $"Re-encryption job {result.JobId}: {result.Processed:N0} values under data key {result.TargetKeyId}, {result.Remaining:N0} left" +
                  (result.Skipped > 0 ? $" ({result.Skipped:N0} could not be decrypted)." : ".")));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RetireKeys()
    {
        var retention = new Option<int>("--retention-days")
        {
            Description = "Keep a retired key this many days after retirement even when no value uses it (default 7).",
            DefaultValueFactory = _ => 7,
        };
        var json = CommonOptions.Json();
        var command = new Command("retire-keys",
            "Destroy retired data keys that no value uses (counted) and whose retention has passed; 'secret status' shows what each waits for.\n" +
            "Example: ssovault secret retire-keys")
        {
            retention, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            await using var node = await context.OpenNodeAsync(cancellationToken);
            var destroyed = await DataKeyRetirement.DestroyUnusedAsync(node, await context.CallerAsync(node, cancellationToken),
                TimeSpan.FromDays(Math.Max(0, parse.GetValue(retention))), cancellationToken);
            context.Output.Result(new { destroyed }, o => o.WriteLine(destroyed.Count == 0
                ? "No data key can be destroyed yet ('ssovault secret status' says what each waits for)."
                : $"Destroyed data keys {string.Join(", ", destroyed)}."));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Redraws the job's progress once a second (rate from the change between samples) until it finishes.</summary>
    private static async Task WatchAsync(SsoVault.Core.Nodes.SsoNode node, CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var first = await ReencryptionJob.CurrentAsync(node, cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = await ReencryptionJob.CurrentAsync(node, cancellationToken);
            if (now is null)
            {
                Console.Error.WriteLine("There is no re-encryption job to watch.");
                return;
            }

            Console.Error.Write("\r" + ReencryptionProgressPrinter.Line(now, now.Processed - (first?.Processed ?? 0), watch.Elapsed) + "   ");
            if (now.Finished)
            {
                Console.Error.WriteLine();
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static Command Drill()
    {
        var file = new Argument<string>("FILE") { Description = "The backup file to rehearse a restore with." };
        var sample = new Option<int>("--sample") { Description = "Values to decrypt per table (default 100).", DefaultValueFactory = _ => RestoreDrill.DefaultSampleSize };
        var passwordFile = CommonOptions.PasswordFile();
        var json = CommonOptions.Json();
        var command = new Command("drill",
            "Rehearse a restore without touching anything: open the backup, unwrap the live key ring with it in memory, and decrypt " +
            "a random sample of real values. Exit 13 if the backup would not bring everything back.\nExample: ssovault secret drill /media/usb/ssovault.bak")
        {
            file, sample, passwordFile, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var header = BackupFileReader.ReadHeader(BackupFiles.Read(path));
            ConsoleOutput.Note($"Password reminder: {(header.Reminder.Length > 0 ? header.Reminder : "(none)")}");
            using var password = PasswordReader.Read(parse.GetValue(passwordFile), confirm: false);
            await using var node = await context.OpenNodeAsync(cancellationToken);
            var result = await RestoreDrill.RunAsync(node, await context.CallerAsync(node, cancellationToken), path, password,
                Math.Clamp(parse.GetValue(sample), 1, 10_000), cancellationToken);
            context.Output.Result(result, o =>
            {
                o.WriteLine(result.Verdict);
                o.WriteLine($"  secrets in the backup: {string.Join(", ", result.SecretsInBackup)}");
                o.WriteLine($"  data keys unwrapped:   {string.Join(", ", result.DataKeysUnwrapped)}" +
                            (result.DataKeysNotUnwrapped.Count > 0 ? $"; NOT unwrapped: {string.Join(", ", result.DataKeysNotUnwrapped)}" : ""));
                foreach (var group in result.Samples.GroupBy(s => s.Table))
                {
                    o.WriteLine($"  {group.Key}: {group.Count(s => s.Decrypted)} of {group.Count()} sampled values decrypted");
                }
            });
            return result.Passed ? ExitCodes.Success : ExitCodes.For(SsoErrorCode.WrongSecret);
        });
        return command;
    }

    private static Option<bool> NoReencrypt() => new("--no-reencrypt")
    {
        Description = "Do not move existing values now (a running 'ssovault serve' resumes the job; or 'ssovault secret reencrypt' later).",
    };

    private static async Task ReencryptUnlessAskedNotToAsync(SsoVault.Core.Nodes.SsoNode node, bool skip, bool json, CancellationToken cancellationToken)
    {
        if (!skip)
        {
            await ReencryptionJob.RunAsync(node, new ReencryptionOptions(RestFactor: 0), json ? null : new ReencryptionProgressPrinter(), cancellationToken);
        }
    }

    private static Command Status()
    {
        var json = CommonOptions.Json();
        var watch = new Option<bool>("--watch") { Description = "Follow a running re-encryption job with a live progress bar until it ends (Ctrl+C stops watching)." };
        var command = new Command("status",
            "The master secret's health: ids, key-check values, ages, last backup, data keys, re-encryption progress, and warnings.\n" +
            "Example: ssovault secret status --json")
        {
            json, watch,
        };
        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            SecretStatus status;
            if (context.Remote is { } client)
            {
                status = (await client.GetSecretStatusAsync(cancellationToken)).ToCore();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(cancellationToken);
                if (parse.GetValue(watch))
                {
                    await WatchAsync(node, cancellationToken);
                }

                status = await SecretStatusReport.GetAsync(node, cancellationToken);
            }

            context.Output.Result(status, o => StatusPrinter.Print(o, status));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Handover()
    {
        var to = new Option<string>("--to") { Description = "The approved node that becomes the master secret server (its server must be running).", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("handover",
            "Move the master secret server directly to another node, run on the current one: the secret travels sealed over the\n" +
            "node's pinned TLS endpoint, the new node proves it holds it, then the database's pointer flips in one transaction.\n" +
            "Any failure leaves this node in charge. Afterwards this node deletes its copy.\n" +
            "Example: ssovault secret handover --to node2")
        {
            to, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            await using var node = await context.OpenNodeAsync(cancellationToken);
            var result = await SecretHandover.RunAsync(node, await context.CallerAsync(node, cancellationToken), parse.GetValue(to)!, cancellationToken);
            context.Output.Result(result, o =>
            {
                o.WriteLine($"The master secret server is now '{result.NewServer}' (was '{result.OldServer}'); it proved it holds " +
                            $"{string.Join(", ", result.Msids)}.");
                o.WriteLine(result.OldCopyRemoved
                    ? $"This node's copy of the secret was deleted; its SSO server now gets data keys from '{result.NewServer}'."
                    : $"WARNING: this node's copy of the secret could not be deleted ({node.SecretStore.FilePath}): delete it by hand.");
                o.WriteLine("SSO servers follow within one poll interval. Back up the secret on the new server if your backups live there.");
            });
            return ExitCodes.Success;
        });
        return command;
    }
}
