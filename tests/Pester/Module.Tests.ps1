BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $manifest = Import-PowerShellDataFile $ModulePath
    $module = Import-Module $ModulePath -PassThru
}

Describe 'ArgoEtl module' {
    It 'exports exactly the cmdlets its manifest lists' {
        (Get-Command -Module ArgoEtl -CommandType Cmdlet).Name | Sort-Object | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'declares Core edition, PowerShell 7.6 and a format file' {
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $manifest.PowerShellVersion | Should -Be '7.6'
        $module.ExportedFormatFiles | Should -Not -BeNullOrEmpty
    }

    It 'has a default view for every type a cmdlet declares as output' {
        foreach ($c in Get-Command -Module ArgoEtl -CommandType Cmdlet) {
            # System types (SecureString, String) are formatted by PowerShell itself.
            foreach ($t in $c.OutputType.Type | Where-Object Namespace -notlike 'System*') {
                Get-FormatData -TypeName $t.FullName | Should -Not -BeNullOrEmpty -Because "$($c.Name) outputs $($t.FullName)"
            }
        }
    }

    It 'uses only approved verbs' {
        $approved = (Get-Verb).Verb
        foreach ($c in Get-Command -Module ArgoEtl) { $c.Verb | Should -BeIn $approved }
    }

    It 'loads its dependencies in the ArgoEtl load context, not the default one' {
        $yaml = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'ArgoEtl.Etl' }
        $yaml | Should -Not -BeNullOrEmpty
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($yaml[0]).Name | Should -Be 'ArgoEtl'
        $cmdlet = (Get-Command Invoke-EtlTransform).ImplementingType.Assembly
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($cmdlet).Name | Should -Be 'ArgoEtl'
    }
}

Describe 'Get-Help for <_>' -ForEach @((Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../ArgoEtl.psd1')).CmdletsToExport) {
    BeforeAll { $help = Get-Help $_ -Full }

    It 'has a synopsis' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$_\s*\["
    }

    It 'has at least one example with code' {
        @($help.examples.example).Count | Should -BeGreaterThan 0
        $help.examples.example[0].code | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        $common = [System.Management.Automation.Internal.CommonParameters].GetProperties().Name + 'WhatIf', 'Confirm'
        $names = (Get-Command $_).Parameters.Keys | Where-Object { $_ -notin $common }
        foreach ($name in $names) {
            $p = $help.parameters.parameter | Where-Object name -eq $name
            ($p.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$name needs help text"
        }
    }
}
