# Shared set-up for the Pester files: where the built module and the substrate harness are.
$script:ModulePath = if ($env:ARGOETL_MODULE_PATH) { $env:ARGOETL_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/ArgoEtl/0.1.0/ArgoEtl.psd1' }
$script:TestingDll = if ($env:ARGOETL_TESTING_DLL) { $env:ARGOETL_TESTING_DLL } else { Join-Path $PSScriptRoot '../ArgoEtl.Testing/bin/Release/net10.0/ArgoEtl.Testing.dll' }
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

Add-Type -Path $script:TestingDll

function Start-TestS3rver {
    [ArgoEtl.Testing.Substrates]::StartS3rver()
}

# s3rver accepts unsigned requests: enough to stage inputs and read outputs independently of the module.
function Invoke-S3rver([string] $Endpoint, [string] $Method, [string] $Path, $Body) {
    $params = @{ Uri = "$Endpoint/$Path"; Method = $Method; SkipHttpErrorCheck = $true }
    if ($null -ne $Body) { $params.Body = $Body }
    Invoke-WebRequest @params
}

# Runs a script in a fresh pwsh (no profile) and returns its output; the child starts from the repository root,
# where the tool manifest provides pwsh.
function Invoke-FreshPwsh([string] $Script) {
    Push-Location $script:RepoRoot
    try { dotnet pwsh -NoProfile -NonInteractive -Command $Script 2>&1 } finally { Pop-Location }
}

# A type of the module's own assemblies. They live in the module's AssemblyLoadContext, where a [Type] literal does
# not look, so find it among the loaded assemblies.
function Get-ModuleType([string] $FullName) {
    foreach ($assembly in [AppDomain]::CurrentDomain.GetAssemblies()) {
        if ($type = $assembly.GetType($FullName, $false)) { return $type }
    }
    throw "Type $FullName is not loaded; import the module first."
}
