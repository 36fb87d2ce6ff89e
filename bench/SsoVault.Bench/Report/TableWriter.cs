using System.Text;

namespace SsoVault.Bench.Report;

/// <summary>The results as Markdown tables: the same text goes to the console and to docs/benchmarks.md.</summary>
internal static class TableWriter
{
    public static string Rows(IEnumerable<BenchRow> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| workload | our figure, median (min–max) | limit measured beside it, median (min–max) | ratio | goal | met |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            if (!row.IsBuilt)
            {
                text.AppendLine($"| {row.Workload} | not built: waits for {row.WaitsFor} | {row.LimitName} | — | {row.Goal} | not built |");
                continue;
            }

            var met = row.Met == true ? "yes" : "**no**";
            text.AppendLine($"| {row.Workload} | {Figures.Format(row.Ours!, row.Unit)} | {row.LimitName}: " +
                            $"{Figures.Format(row.Limit!, row.Unit)} | {Figures.Ratio(row.Ratio)} | {row.Goal}{(row.Absolute ? " " + row.Unit : "")} | {met} |");
        }

        return text.ToString();
    }

    public static string Details(IEnumerable<BenchDetail> details)
    {
        var text = new StringBuilder();
        text.AppendLine("| sub-measurement | median (min–max) | what it shows |");
        text.AppendLine("|---|---|---|");
        foreach (var detail in details)
        {
            text.AppendLine($"| {detail.Name} | {Figures.Format(detail.Stats, detail.Unit)} | {detail.Note} |");
        }

        return text.ToString();
    }
}
