// `dotnet ArgoEtl.Testing.dll install`: install the test substrates up front (the test command runs this once).
// `dotnet ArgoEtl.Testing.dll requirements`: the programs the installer provides, one "program<TAB>package" a line,
// then those it deliberately leaves out (the module probes them; no test needs them), "program<TAB>-<TAB>why".
switch (args)
{
    case ["install"]:
        ArgoEtl.Testing.Substrates.EnsureInstalled();
        Console.WriteLine("test substrates installed");
        return 0;
    case ["requirements"]:
        foreach (var r in ArgoEtl.Testing.Substrates.Requirements)
        {
            Console.WriteLine($"{r.Program}\t{r.Package}");
        }

        foreach (var (program, why) in ArgoEtl.Testing.Substrates.ProbedNotInstalled)
        {
            Console.WriteLine($"{program}\t-\t{why}");
        }

        return 0;
    default:
        Console.Error.WriteLine("usage: ArgoEtl.Testing install | requirements");
        return 2;
}
