<#
.SYNOPSIS
    Runs every tests/Pester/*.Tests.ps1 with the pinned Pester from NuGet and writes {Passed, Failed} to -ResultPath.
    Failed counts failed tests, failed blocks and containers that failed to load, so a broken file cannot pass silently.
#>
param([Parameter(Mandatory)][string] $ResultPath)
$ErrorActionPreference = 'Stop'
$env:NO_COLOR = '1'
$packages = (dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
Import-Module (Join-Path $packages.Trim() 'pester/6.2.0/tools/Pester.psd1') -Force

$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.Output.RenderMode = 'Plaintext'
$result = Invoke-Pester -Configuration $config

$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
@{ Passed = $result.PassedCount; Failed = $failed } | ConvertTo-Json | Set-Content -Path $ResultPath
exit ([int]($failed -gt 0))
