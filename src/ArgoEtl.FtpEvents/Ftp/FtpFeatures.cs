namespace ArgoEtl.FtpEvents.Ftp;

/// <summary>What the server said it supports in its FEAT reply (RFC 2389), which decides how folders are listed.</summary>
internal sealed record FtpFeatures(bool Mlsd, IReadOnlySet<string> MlstFacts, bool Mdtm, bool Size, bool Epsv, bool Utf8)
{
    public static FtpFeatures None { get; } = new(false, new HashSet<string>(), false, false, false, false);

    /// <summary>Parses the lines of a 211 FEAT reply (one feature per line, each indented by a space).</summary>
    public static FtpFeatures Parse(IEnumerable<string> lines)
    {
        bool mlsd = false, mdtm = false, size = false, epsv = false, utf8 = false;
        var facts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string raw in lines)
        {
            string line = raw.Trim();
            string name = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (name)
            {
                case "MLST" or "MLSD":
                    mlsd = true;
                    if (line.Length > 4)
                    {
                        // "MLST size*;modify*;type*;" - a star marks the facts sent by default.
                        foreach (string fact in line[5..].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        {
                            facts.Add(fact.TrimEnd('*'));
                        }
                    }

                    break;
                case "MDTM": mdtm = true; break;
                case "SIZE": size = true; break;
                case "EPSV": epsv = true; break;
                case "UTF8": utf8 = true; break;
            }
        }

        return new FtpFeatures(mlsd, facts, mdtm, size, epsv, utf8);
    }
}
