using SsoVault.Cli;

return await CliApplication.RunAsync(args);
