<#
.SYNOPSIS
    Benchmark (run by hand, not a test): median time of Import-Module ArgoEtl in fresh pwsh processes.
.EXAMPLE
    dotnet pwsh -NoProfile -File tools/Measure-ImportTime.ps1 -Runs 15
#>
param([int] $Runs = 15, [string] $ModulePath = (Join-Path $PSScriptRoot '../out/ArgoEtl/0.1.0/ArgoEtl.psd1'))
$times = foreach ($i in 1..$Runs) {
    [double](dotnet pwsh -NoProfile -NonInteractive -Command "(Measure-Command { Import-Module '$ModulePath' }).TotalMilliseconds")
}
$sorted = $times | Sort-Object
[pscustomobject]@{ Runs = $Runs; MedianMs = [math]::Round($sorted[[int][math]::Floor($Runs / 2)], 1); MinMs = [math]::Round($sorted[0], 1); MaxMs = [math]::Round($sorted[-1], 1) }
