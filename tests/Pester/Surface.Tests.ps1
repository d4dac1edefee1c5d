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

Describe 'YAML as kubectl reads it' {
    BeforeAll {
        # A flow sequence holding a multi-line double-quoted scalar closed at its key's indentation, as Argo's
        # examples/ci.yaml writes it: go-yaml (kubectl, argo lint) reads it, YamlDotNet alone does not.
        $workflow = @'
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: ci-example
spec:
  entrypoint: build
  templates:
  - name: build
    container:
      image: golang:1.8
      command: [sh, -c]
      args: ["
        cd /go/src/github.com/golang/example/hello &&
        go build -v .
      "]
'@
        $project = Join-Path ([IO.Path]::GetTempPath()) "argoetl-yaml-$([guid]::NewGuid().ToString('N'))"
        Copy-Item (Join-Path $RepoRoot 'examples/minio-json') $project -Recurse
        Set-Content (Join-Path $project 'k8s/ci-workflow.yaml') $workflow -NoNewline
        $duplicate = Join-Path ([IO.Path]::GetTempPath()) "argoetl-yaml-dup-$([guid]::NewGuid().ToString('N'))"
        Copy-Item (Join-Path $RepoRoot 'examples/minio-json') $duplicate -Recurse
        Set-Content (Join-Path $duplicate 'k8s/ci-workflow.yaml') ($workflow + "`n      image: again`n") -NoNewline
    }
    AfterAll { Remove-Item $project, $duplicate -Recurse -Force -ErrorAction Ignore }

    It 'Test-EtlProject reads the manifest without a YAML error' {
        $err = $null
        $findings = Test-EtlProject -Path $project -Name local -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -BeNullOrEmpty
        $findings | Where-Object Rule -like 'Yaml*' | Should -BeNullOrEmpty
    }

    It 'still refuses a duplicate key after such a scalar, naming file:line' {
        $err = $null
        Test-EtlProject -Path $duplicate -Name local -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -BeLike 'YamlDuplicateKey*'
        $err[0].Exception.Message | Should -Match 'ci-workflow\.yaml:16:'
    }
}
