<#
.SYNOPSIS
    Builds, stages, demonstrates and tests the ArgoEtl module.
.DESCRIPTION
    Build: compiles the solution and stages a complete module folder at out/ArgoEtl/<version>/ (the cmdlet assembly
           at the root, every dependency under bin/ for the module's own load context, format views and MAML help).
    Demo:  Build, then run the examples' pipelines (minio-json, minio-parquet) on the local target with examples/data/scores.csv:
           the CSV lands in the embedded store, the Sensor fires, the Workflow's step writes NDJSON/Parquet back (out/demo/).
    Test:  Build, install the test substrates, run xUnit and Pester, and print one summed line 'N passed, N failed'.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Demo', 'Test')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$version = (Import-PowerShellDataFile (Join-Path $root 'ArgoEtl.psd1')).ModuleVersion
$moduleDir = Join-Path $root "out/ArgoEtl/$version"
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

function Invoke-Native {
    param([string] $What, [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Invoke-Native 'dotnet build' { dotnet build (Join-Path $root 'ArgoEtl.sln') -c $Configuration --nologo -clp:ErrorsOnly }
    $publish = Join-Path $root 'out/publish'
    Remove-Item $publish, $moduleDir -Recurse -Force -ErrorAction Ignore
    Invoke-Native 'dotnet publish' { dotnet publish (Join-Path $root 'src/ArgoEtl.PowerShell') -c $Configuration -o $publish --no-build --nologo -clp:ErrorsOnly }

    # Only the small loader sits at the module root (PowerShell's default load context); the cmdlets and every
    # dependency go to bin/, where only ArgoEtl's own AssemblyLoadContext looks. System.Management.Automation comes from the host.
    New-Item -ItemType Directory -Path (Join-Path $moduleDir 'bin') -Force | Out-Null
    Copy-Item (Join-Path $root 'ArgoEtl.psd1'), (Join-Path $root 'ArgoEtl.psm1'), (Join-Path $root 'src/ArgoEtl.PowerShell/ArgoEtl.Format.ps1xml') $moduleDir
    Copy-Item (Join-Path $root "src/ArgoEtl.LoadContext/bin/$Configuration/net10.0/ArgoEtl.LoadContext.dll") $moduleDir
    foreach ($file in Get-ChildItem $publish -File) {
        if ($file.Name -like 'System.Management.Automation.*' -or $file.Extension -in '.json', '.ps1xml' -or $file.Name -eq 'ArgoEtl.Etl') { continue }
        Copy-Item $file.FullName (Join-Path $moduleDir 'bin')
    }
    Get-ChildItem $publish -Directory | ForEach-Object { Copy-Item $_.FullName (Join-Path $moduleDir 'bin') -Recurse }

    Invoke-Native 'help generation' { dotnet pwsh -NoProfile -File (Join-Path $root 'tools/New-ModuleHelp.ps1') -ModulePath $moduleDir }
    Write-Host "Staged module: $moduleDir"
}

function Invoke-Demo {
    Invoke-Build
    $demoOut = Join-Path $root 'out/demo'
    Remove-Item $demoOut -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory $demoOut | Out-Null
    # The examples' pipelines on the local target: no cluster, no Docker. The CSV goes into the embedded store under the
    # minio EventSource's input prefix, the Sensor fires, its Workflow's argoetl-etl step runs as a host process.
    $script = @"
Import-Module '$moduleDir/ArgoEtl.psd1'
`$ErrorActionPreference = 'Stop'
foreach (`$example in 'minio-json', 'minio-parquet') {
    `$state = Join-Path '$demoOut' `$example
    `$runs = Invoke-EtlPipeline -Path (Join-Path '$root/examples' `$example) -InputFile '$root/examples/data/scores.csv' -StateDirectory `$state -InformationAction SilentlyContinue
    `$runs | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
    if (`$runs.Phase -ne 'Succeeded') { throw "`${example}: the run did not succeed" }
    foreach (`$file in Get-ChildItem (Join-Path `$state 'buckets/etl') -Recurse -File | Where-Object Extension -ne '.csv') {
        Write-Host "`$(`$file.FullName) (`$(`$file.Length) bytes)"
        if (`$file.Extension -eq '.json') { Get-Content `$file.FullName -TotalCount 3 | Write-Host }
    }
}
"@
    Invoke-Native 'demo' { dotnet pwsh -NoProfile -Command $script }
}

function Get-TrxCounts([string] $Path) {
    if (-not (Test-Path $Path)) { return @{ Passed = 0; Failed = 1 } }
    $counters = ([xml](Get-Content $Path -Raw)).TestRun.ResultSummary.Counters
    @{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted }
}

function Invoke-Test {
    Invoke-Build
    $results = Join-Path $root 'out/test-results'
    Remove-Item $results -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory $results | Out-Null

    Invoke-Native 'test tooling restore' { dotnet restore (Join-Path $root 'tests/tools/TestTools.csproj') --nologo -v q }
    Invoke-Native 'substrate install' { dotnet (Join-Path $root "tests/ArgoEtl.Testing/bin/$Configuration/net10.0/ArgoEtl.Testing.dll") install }

    dotnet test (Join-Path $root 'tests/ArgoEtl.Tests') -c $Configuration --no-build --nologo `
        --logger 'trx;LogFileName=xunit.trx' --logger 'console;verbosity=normal' --results-directory $results
    $xunit = Get-TrxCounts (Join-Path $results 'xunit.trx')
    Write-Host "xUnit: $($xunit.Passed) passed, $($xunit.Failed) failed"

    $pesterJson = Join-Path $results 'pester.json'
    $env:ARGOETL_MODULE_PATH = Join-Path $moduleDir 'ArgoEtl.psd1'
    $env:ARGOETL_TESTING_DLL = Join-Path $root "tests/ArgoEtl.Testing/bin/$Configuration/net10.0/ArgoEtl.Testing.dll"
    dotnet pwsh -NoProfile -File (Join-Path $root 'tests/Pester/Invoke-PesterSuite.ps1') -ResultPath $pesterJson
    $pester = if (Test-Path $pesterJson) { Get-Content $pesterJson -Raw | ConvertFrom-Json -AsHashtable } else { @{ Passed = 0; Failed = 1 } }
    Write-Host "Pester: $($pester.Passed) passed, $($pester.Failed) failed"

    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    # The one line CI reads.
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Demo' { Invoke-Demo }
    'Test' { Invoke-Test }
}
