using System.Globalization;
using System.Text;

namespace ArgoEtl.Bench;

/// <summary>One benchmark input shape: its columns (as argoetl-etl's schema spec) and a deterministic row generator.</summary>
internal sealed class Dataset
{
    private static readonly string[] FirstNames = ["Minji", "Jiwoo", "Seoyeon", "Hyun", "Ana", "Lucas", "Emma", "Noah", "Olivia", "Mateo", "Yuna", "Kenji"];
    private static readonly string[] LastNames = ["Kim", "Lee", "Park", "Choi", "Silva", "Smith", "Garcia", "Müller", "Rossi", "Tanaka"];
    private static readonly string[] Cities = ["Seoul", "Busan", "Incheon", "Daegu", "São Paulo", "Berlin", "New York", "Tokyo", "Paris", "Lagos", "Lima", "Oslo"];

    private Dataset(string name, string schema, Action<StringBuilder, long, ulong> writeRow)
    {
        Name = name;
        Schema = schema;
        Columns = schema.Split(',').Select(part => part.Split(':')).Select(p => (p[0], p[1])).ToArray();
        _writeRow = writeRow;
    }

    private readonly Action<StringBuilder, long, ulong> _writeRow;

    public string Name { get; }

    /// <summary>The schema as argoetl-etl and the Python script take it: name:type,...</summary>
    public string Schema { get; }

    public (string Name, string Type)[] Columns { get; }

    /// <summary>no,name,score: the shape of the typical setup's example pipeline.</summary>
    public static Dataset Narrow { get; } = new("narrow", "no:int64,name:string,score:int32", (sb, no, r) =>
    {
        sb.Append(no).Append(',')
          .Append(FirstNames[(int)(r % 12)]).Append('_').Append((r >> 8) % 100_000).Append(',')
          .Append((r >> 32) % 101).Append('\n');
    });

    /// <summary>Twelve mixed-type columns with nulls and quoted fields holding commas and quotes.</summary>
    public static Dataset Wide { get; } = new(
        "wide",
        "id:int64,name:string,score:int32,amount:double,active:boolean,signup:date,updated:timestamp,city:string,qty:int32,ratio:double,code:string,note:string",
        (sb, id, r) =>
        {
            var inv = CultureInfo.InvariantCulture;
            ulong r2 = Mix(r);
            sb.Append(id).Append(',');
            sb.Append(FirstNames[(int)(r % 12)]).Append(' ').Append(LastNames[(int)((r >> 4) % 10)]).Append(',');
            if (r % 50 != 0)
            {
                sb.Append((r >> 12) % 101);
            }

            sb.Append(',');
            sb.Append(((long)((r >> 20) % 10_000_000) / 100.0).ToString("0.00", inv)).Append(',');
            sb.Append((r >> 44) % 2 == 0 ? "true" : "false").Append(',');
            sb.Append(new DateOnly(2020, 1, 1).AddDays((int)(r2 % 2000)).ToString("yyyy-MM-dd", inv)).Append(',');
            sb.Append(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds((double)((r2 >> 11) % 31_536_000)).ToString("yyyy-MM-dd HH:mm:ss", inv)).Append(',');
            sb.Append(Cities[(int)((r2 >> 40) % 12)]).Append(',');
            sb.Append((r2 >> 20) % 1000).Append(',');
            sb.Append(((long)((r2 >> 30) % 10_000) / 10_000.0).ToString("0.0###", inv)).Append(',');
            sb.Append("C-").Append(((r2 >> 8) % 100_000).ToString("D5", inv)).Append(',');
            switch (r2 % 10)
            {
                case 0:
                    break; // null
                case 1:
                    sb.Append("\"said \"\"hello\"\", then left, quickly\"");
                    break;
                default:
                    sb.Append("order ").Append(id % 997).Append(" ok");
                    break;
            }

            sb.Append('\n');
        });

    public static IReadOnlyList<Dataset> All { get; } = [Narrow, Wide];

    /// <summary>Writes rows until the file reaches <paramref name="targetBytes"/>; the same arguments give the same bytes.</summary>
    public long Generate(string path, long targetBytes)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new StreamWriter(file, new UTF8Encoding(false), 1 << 20);
        writer.Write(string.Join(',', Columns.Select(c => c.Name)));
        writer.Write('\n');
        var sb = new StringBuilder(256);
        ulong state = 0x9E3779B97F4A7C15UL;
        long rows = 0;
        while (file.Position < targetBytes)
        {
            for (int i = 0; i < 4096; i++)
            {
                state = Mix(state);
                sb.Clear();
                _writeRow(sb, ++rows, state);
                writer.Write(sb);
            }

            writer.Flush();
        }

        return rows;
    }

    // SplitMix64 step: a fast, well-distributed, seedable generator, so files are reproducible across runs and machines.
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
