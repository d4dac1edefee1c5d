# Loads ArgoEtl's cmdlets through the module's own AssemblyLoadContext, so that its dependencies (YamlDotNet, AWSSDK,
# KubernetesClient, Parquet.Net) never clash with other versions already loaded in the session by other modules.
$importModule = Get-Command -Name Import-Module -Module Microsoft.PowerShell.Core
$isReload = $true
if (-not ('ArgoEtl.LoadContext.ArgoEtlLoadContext' -as [type])) {
    $isReload = $false
    Add-Type -Path ([System.IO.Path]::Combine($PSScriptRoot, 'ArgoEtl.LoadContext.dll'))
}

$cmdletAssembly = [ArgoEtl.LoadContext.ArgoEtlLoadContext]::Initialize()
$inner = & $importModule -Assembly $cmdletAssembly -PassThru:$isReload
if ($inner) {
    # On a re-import (Import-Module -Force, or after Remove-Module) PowerShell reuses its cached module for the
    # assembly and does not add the cmdlets to this module's exports (PowerShell/PowerShell#20710); add them here.
    $addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod('AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
    foreach ($command in $inner.ExportedCommands.Values) {
        $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $command))
    }
}
