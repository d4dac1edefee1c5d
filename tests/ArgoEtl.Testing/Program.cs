// `dotnet ArgoEtl.Testing.dll install`: install the test substrates up front (the test command runs this once).
if (args is ["install"])
{
    ArgoEtl.Testing.Substrates.EnsureInstalled();
    Console.WriteLine("test substrates installed");
    return 0;
}

Console.Error.WriteLine("usage: ArgoEtl.Testing install");
return 2;
