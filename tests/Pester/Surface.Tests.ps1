# One cmdlet surface: the error codes' help topic, one name and one type per parameter concept, readable records.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath
    # The catalog lives in the module's own load context; load it from there (it may not be loaded yet).
    $alc = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command Invoke-EtlTransform).ImplementingType.Assembly)
    $catalog = $alc.LoadFromAssemblyName([System.Reflection.AssemblyName]::new('ArgoEtl.Etl')).GetType('ArgoEtl.EtlErrors', $true)
}

Describe 'about_ArgoEtl_Errors' {
    It 'is shipped with the module and lists every code of the catalog with its meaning and advice' {
        $help = Get-Help about_ArgoEtl_Errors | Out-String
        $help | Should -Match 'about_ArgoEtl_Errors'
        foreach ($e in $catalog::All) {
            $help | Should -Match "(?m)^\s+$($e.Code) \($($e.Kind)\)\s*$" -Because "the catalog has $($e.Code)"
        }
        $help | Should -Match 'What to do: Keep one of the two'
    }

    It 'names the code a cmdlet error carries' {
        $err = $null
        Invoke-EtlTransform -Path (Join-Path $TestDrive 'missing.csv') -Destination $TestDrive -ErrorVariable err -ErrorAction SilentlyContinue
        $code = ($err[0].FullyQualifiedErrorId -split ',')[0]
        Get-Help about_ArgoEtl_Errors | Out-String | Should -Match "(?m)^\s+$code \("
    }
}
