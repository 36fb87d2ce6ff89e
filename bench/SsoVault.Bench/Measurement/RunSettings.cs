namespace SsoVault.Bench.Measurement;

/// <summary>
/// How much each workload runs and on how much data. Every timed loop is bounded both in operations and in time,
/// so a slow or stalled machine makes a run shorter and noisier, never endless.
/// </summary>
internal sealed record RunSettings
{
    public required int Warmups { get; init; }
    public required int Repetitions { get; init; }
    /// <summary>A throughput repetition stops after this long...</summary>
    public required TimeSpan TimePerRepetition { get; init; }
    /// <summary>...or after this many operations, whichever comes first.</summary>
    public required long MaxOperationsPerRepetition { get; init; }
    /// <summary>Sizes of the credential values encrypted and decrypted.</summary>
    public required IReadOnlyList<int> ValueSizes { get; init; }
    /// <summary>Config-store records (two 32-byte properties each) behind the read workload.</summary>
    public required int ConfigRecords { get; init; }
    /// <summary>Values in the small and the large store of the <c>secret generate</c> workload.</summary>
    public required int GenerateSmallValues { get; init; }
    public required int GenerateLargeValues { get; init; }
    /// <summary>Mappings (two 32-byte credential fields each) behind the credential lookup workloads.</summary>
    public required int CredentialMappings { get; init; }
    /// <summary>Users looked up again and again by the cache-on workload (their answers stay cached).</summary>
    public required int CacheWorkingSet { get; init; }
    /// <summary>Users with an API key, whose lookups the HTTP load generator spreads its requests over.</summary>
    public required int ApiKeyCallers { get; init; }
    /// <summary>A repetition of the HTTP lookup load stops after this long (or after <see cref="MaxOperationsPerRepetition"/> requests).</summary>
    public required TimeSpan HttpTimePerRepetition { get; init; }
    /// <summary>Mappings (two credential values each) of the node behind the server-process rows (start to ready, peak memory).</summary>
    public required int MemoryMappings { get; init; }
    /// <summary>How long the server process is kept under lookup load before its peak memory is read.</summary>
    public required TimeSpan MemoryLoadTime { get; init; }
    /// <summary>Values (credential fields) the re-encryption workload moves to a new data key, every repetition.</summary>
    public required int ReencryptionValues { get; init; }

    /// <summary>The published run: the sizes the issue names.</summary>
    public static RunSettings Full { get; } = new()
    {
        Warmups = 1,
        Repetitions = 7,
        TimePerRepetition = TimeSpan.FromMilliseconds(700),
        MaxOperationsPerRepetition = 5_000_000,
        ValueSizes = [32, 256],
        ConfigRecords = 100_000,
        GenerateSmallValues = 1_000,
        GenerateLargeValues = 1_000_000,
        CredentialMappings = 100_000,
        CacheWorkingSet = 1_000,
        ReencryptionValues = 100_000,
        ApiKeyCallers = 1_000,
        HttpTimePerRepetition = TimeSpan.FromSeconds(1),
        MemoryMappings = 500_000,
        MemoryLoadTime = TimeSpan.FromSeconds(10),
    };

    /// <summary>For development on a shared machine: the same workloads on small data, few repetitions.</summary>
    public static RunSettings Quick { get; } = Full with
    {
        Repetitions = 3,
        TimePerRepetition = TimeSpan.FromMilliseconds(200),
        ConfigRecords = 2_000,
        GenerateLargeValues = 20_000,
        CredentialMappings = 2_000,
        CacheWorkingSet = 100,
        ReencryptionValues = 4_000,
        ApiKeyCallers = 200,
        HttpTimePerRepetition = TimeSpan.FromMilliseconds(500),
        MemoryMappings = 20_000,
        MemoryLoadTime = TimeSpan.FromSeconds(2),
    };

    /// <summary>The smoke test: every workload once on tiny data, only to prove it still runs.</summary>
    public static RunSettings Smoke { get; } = Full with
    {
        Warmups = 0,
        Repetitions = 1,
        TimePerRepetition = TimeSpan.FromMilliseconds(20),
        MaxOperationsPerRepetition = 200,
        ValueSizes = [32],
        ConfigRecords = 5,
        GenerateSmallValues = 10,
        GenerateLargeValues = 20,
        CredentialMappings = 6,
        CacheWorkingSet = 3,
        ReencryptionValues = 10,
        ApiKeyCallers = 3,
        HttpTimePerRepetition = TimeSpan.FromMilliseconds(20),
        MemoryMappings = 6,
        MemoryLoadTime = TimeSpan.FromMilliseconds(100),
    };
}
