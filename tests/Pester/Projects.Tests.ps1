BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath
    $example = Join-Path $RepoRoot 'examples/minio-json'
    $image = 'argoetl-etl=localhost:5000/argoetl-etl:abc123'
}

Describe 'Get-EtlProfile' {
    It 'returns the base config and every profile as objects' {
        $profiles = Get-EtlProfile -Path $example -KubeContext minikube
        $profiles.Name | Should -Be @('(base)', 'local', 'eks')
        $profiles[0] | Should -BeOfType 'ArgoEtl.Core.Projects.EtlProfile'
        ($profiles | Where-Object Name -eq 'local').AutoActivated | Should -BeTrue
        ($profiles | Where-Object Name -eq 'eks').AutoActivated | Should -BeFalse
        $profiles[0].Artifacts.ImageName | Should -Be 'argoetl-etl'
        ($profiles | Where-Object Name -eq 'eks').DefaultNamespace | Should -Be 'etl'
    }

    It 'takes project folders from the pipeline' {
        $all = Get-ChildItem (Join-Path $RepoRoot 'examples') -Directory | Where-Object Name -like 'minio-*' | Get-EtlProfile -Name local
        $all.Count | Should -Be 2
        $all.ConfigName | Sort-Object | Should -Be @('minio-json', 'minio-parquet')
    }

    It 'says which profiles exist when asked for one that does not' {
        $err = $null
        Get-EtlProfile $example -Name staging -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProfileNotFound*'
        $err[0].Exception.Message | Should -Match 'Available: local, eks'
    }

    It 'completes profile names for -Name from the project in -Path' {
        $line = "Get-EtlProfile -Path '$example' -Name "
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Be @('local', 'eks')
        $line = "Export-EtlManifest -Path '$example' -Name e"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('eks')
    }
}

Describe 'Export-EtlManifest' {
    It 'renders profiles piped from Get-EtlProfile with the built image inside the Sensor''s Workflow' {
        $manifests = Get-EtlProfile $example -Name local | Export-EtlManifest -Image $image
        $manifests.Kind | Sort-Object | Should -Be @('EventSource', 'Sensor')
        $sensor = $manifests | Where-Object Kind -eq Sensor
        $sensor | Should -BeOfType 'ArgoEtl.Core.Rendering.RenderedManifest'
        $sensor.Source | Should -Be 'k8s/sensor.yaml:1'
        $sensor.Yaml | Should -Match 'image: localhost:5000/argoetl-etl:abc123'
        $sensor.Yaml | Should -Not -Match 'image: argoetl-etl\s*$'
    }

    It 'binds Path and Name by property name from any object' {
        $manifests = [pscustomobject]@{ Path = $example; Name = 'eks' } | Export-EtlManifest -Image $image
        $manifests.Count | Should -Be 2
    }

    It 'writes one multi-document file, byte-identical on every run, and nothing under -WhatIf' {
        $out = Join-Path ([IO.Path]::GetTempPath()) "argoetl-render-$([guid]::NewGuid().ToString('N'))"
        try {
            Export-EtlManifest -Path $example -Name local -Image $image -OutputPath "$out/a.yaml"
            Export-EtlManifest -Path $example -Name local -Image $image -OutputPath "$out/b.yaml"
            Export-EtlManifest -Path $example -Name local -Image $image -OutputPath "$out/c.yaml" -WhatIf
            (Get-FileHash "$out/a.yaml").Hash | Should -Be (Get-FileHash "$out/b.yaml").Hash
            (Get-Content "$out/a.yaml" -Raw) | Should -Match '(?m)^---$'
            Test-Path "$out/c.yaml" | Should -BeFalse
        }
        finally { Remove-Item $out -Recurse -Force -ErrorAction Ignore }
    }

    It 'rejects an -Image that is not artifact=reference' {
        { Export-EtlManifest -Path $example -Image 'localhost:5000/x' -ErrorAction Stop } | Should -Throw -ErrorId 'ImageArgumentInvalid*'
    }
}

Describe 'Test-EtlProject' {
    BeforeAll {
        $broken = Join-Path ([IO.Path]::GetTempPath()) "argoetl-lint-$([guid]::NewGuid().ToString('N'))"
        Copy-Item $example $broken -Recurse
        $sensor = Join-Path $broken 'k8s/sensor.yaml'
        (Get-Content $sensor -Raw) -replace 'dependencyName: csv-put', 'dependencyName: csv-putt' | Set-Content $sensor -NoNewline
    }
    AfterAll { Remove-Item $broken -Recurse -Force -ErrorAction Ignore }

    It 'finds nothing in the examples' {
        Get-EtlProfile $example | Test-EtlProject | Should -BeNullOrEmpty
    }

    It 'reports a finding with file, line, severity and suggestion, and -Strict turns it into a terminating error' {
        $findings = Test-EtlProject -Path $broken -Name local
        $findings.Count | Should -Be 2
        $findings[0] | Should -BeOfType 'ArgoEtl.Core.Lint.EtlFinding'
        $findings[0].Rule | Should -Be 'SensorParameterUnknownDependency'
        $findings[0].File | Should -Be 'k8s/sensor.yaml'
        $findings[0].Severity | Should -Be 'Error'
        $findings[0].Suggestion | Should -Match 'csv-put'
        { Test-EtlProject -Path $broken -Name local -Strict } | Should -Throw -ErrorId 'ProjectCheckFailed*'
    }
}
