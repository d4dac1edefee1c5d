# Loads ArgoEtl's cmdlets through the module's own AssemblyLoadContext, so that its dependencies (YamlDotNet, AWSSDK,
# KubernetesClient, Parquet.Net) never clash with other versions already loaded in the session by other modules.
$importModule = Get-Command -Name Import-Module -Module Microsoft.PowerShell.Core
$isReload = $true
if (-not ('ArgoEtl.LoadContext.ArgoEtlLoadContext' -as [type])) {
    $isReload = $false
    Add-Type -Path ([System.IO.Path]::Combine($PSScriptRoot, 'ArgoEtl.LoadContext.dll'))
}

$cmdletAssembly = [ArgoEtl.LoadContext.ArgoEtlLoadContext]::Initialize()
& $importModule -Assembly $cmdletAssembly -Force:$isReload
