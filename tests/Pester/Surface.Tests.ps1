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

Describe 'One cmdlet surface' {
    BeforeAll {
        $common = [System.Management.Automation.Internal.CommonParameters].GetProperties().Name + 'WhatIf', 'Confirm'
        $parameters = foreach ($c in Get-Command -Module ArgoEtl -CommandType Cmdlet) {
            foreach ($p in $c.Parameters.Values | Where-Object Name -notin $common) {
                # One or many of the same thing is the same concept (-Path one project, or -Path many CSV files):
                # PowerShell binds a single value to an array parameter. Element types must agree.
                $type = if ($p.ParameterType.IsArray) { $p.ParameterType.GetElementType() } else { $p.ParameterType }
                [pscustomobject]@{ Cmdlet = $c.Name; Name = $p.Name; Type = $type.FullName; Aliases = $p.Aliases }
            }
        }
        # Names that mean a concept another name already stands for: the second must be an alias, never a name.
        $synonyms = @{
            Context = 'KubeContext'; KubeconfigPath = 'KubeConfig'; Endpoint = 'EndpointUrl'; EndpointUri = 'EndpointUrl'; S3Endpoint = 'EndpointUrl'
            AwsRegion = 'Region'; AwsProfile = 'ProfileName'; AwsProfileName = 'ProfileName'; Creds = 'Credential'
        }
    }

    It 'gives each parameter name one type on every cmdlet' {
        # -InputObject is PowerShell's name for "the piped object" whatever its type (Stop-Process takes Process objects,
        # Remove-Job Job objects), so it is the one name whose type depends on the cmdlet.
        $clashes = $parameters | Where-Object Name -ne 'InputObject' | Group-Object Name | Where-Object { @($_.Group.Type | Sort-Object -Unique).Count -gt 1 } | ForEach-Object {
            "-$($_.Name): " + (($_.Group | ForEach-Object { "$($_.Cmdlet) [$($_.Type)]" }) -join ', ')
        }
        $clashes | Should -BeNullOrEmpty
    }

    It 'spells each name one way and uses no synonym as a name' {
        ($parameters | Group-Object Name | Where-Object { @($_.Group.Name | Sort-Object -Unique -CaseSensitive).Count -gt 1 }).Name | Should -BeNullOrEmpty
        ($parameters | Where-Object { $synonyms.ContainsKey($_.Name) } | ForEach-Object { "$($_.Cmdlet) -$($_.Name) (use -$($synonyms[$_.Name]))" }) | Should -BeNullOrEmpty
    }

    It 'keeps the old names as aliases, so scripts keep working' {
        (Get-Command Start-EtlDev).Parameters['KubeContext'].Aliases | Should -Contain 'Context'
        (Get-Command Get-EtlInfra).Parameters['KubeContext'].Aliases | Should -Contain 'Context'
        (Get-Command Install-EtlInfra).Parameters['Platform'].Aliases | Should -Contain 'Profile'
        (Get-Command Invoke-EtlTransform).Parameters['EndpointUrl'].ParameterType | Should -Be ([uri])
    }

    It 'offers no parameter a cmdlet does not use' {
        (Get-Command Get-EtlWorkflowToken).Parameters.Keys | Should -Not -Contain 'ArgoEventsVersion'
        (Get-Command Get-EtlWorkflowToken).Parameters.Keys | Should -Not -Contain 'ManifestSource'
    }

    It 'documents the bundled parameters in help' {
        foreach ($name in 'Region', 'KubeContext', 'Registry') {
            (Get-Help Publish-EtlImage -Parameter $name).Description.Text | Should -Not -BeNullOrEmpty -Because "-$name is bundled"
        }
    }

    It 'takes the EtlImage objects Publish-EtlImage returns as -Image, without ToString' {
        $alc = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command Invoke-EtlTransform).ImplementingType.Assembly)
        $type = $alc.LoadFromAssemblyName([System.Reflection.AssemblyName]::new('ArgoEtl.Core')).GetType('ArgoEtl.Core.Images.EtlImage', $true)
        $image = $type::new()
        $image.Artifact = 'argoetl-etl'; $image.Repository = 'localhost:5000/argoetl-etl'; $image.Tag = 'abc'; $image.Builder = 'DotNet'
        $image.Digest = 'sha256:' + ('a' * 64)
        $sensor = Get-EtlProfile (Join-Path $RepoRoot 'examples/minio-json') -Name local | Export-EtlManifest -Image @($image) | Where-Object Kind -eq Sensor
        $sensor.Yaml | Should -Match 'localhost:5000/argoetl-etl:abc@sha256:a{64}'
    }
}

Describe 'Readable records' {
    BeforeAll {
        # A filled-in instance of any output type: every constructor argument and settable property gets a sample
        # value, collections one element, so that each nested record's ToString is exercised.
        function New-Sample([type] $Type, [int] $Depth = 0) {
            if ([Nullable]::GetUnderlyingType($Type)) { $Type = [Nullable]::GetUnderlyingType($Type) }
            switch ($Type) {
                ([string]) { return 'sample' }
                ([object]) { return 'sample' }
                ([bool]) { return $true }
                ([char]) { return [char]'c' }
                ([TimeSpan]) { return [TimeSpan]::FromSeconds(90) }
                ([DateTimeOffset]) { return [DateTimeOffset]::new(2026, 12, 1, 23, 0, 0, [TimeSpan]::Zero) }
                ([DateTime]) { return [DateTime]::new(2026, 12, 1, 23, 0, 0, [DateTimeKind]::Utc) }
                ([Uri]) { return [Uri]'http://127.0.0.1:9000/' }
                ([Version]) { return [Version]'1.2.3' }
            }
            if ($Type.IsPrimitive -or $Type -eq [decimal]) { return [Convert]::ChangeType(3, $Type) }
            if ($Type.IsEnum) { return [Enum]::GetValues($Type).GetValue(0) }
            if ([System.Text.Json.Nodes.JsonNode].IsAssignableFrom($Type)) { return , [System.Text.Json.Nodes.JsonNode]::Parse('{"key":"value"}') }
            if ($Depth -gt 4) { return $null }
            if ($Type.IsArray) {
                $array = [Array]::CreateInstance($Type.GetElementType(), 1)
                $array.SetValue((New-Sample $Type.GetElementType() ($Depth + 1)), 0)
                return , $array
            }
            if ($Type.IsGenericType) {
                $args = $Type.GetGenericArguments()
                $definition = $Type.GetGenericTypeDefinition().Name
                if ($args.Count -eq 2 -and $definition -match 'Dictionary') {
                    $dict = [Activator]::CreateInstance([System.Collections.Generic.Dictionary`2].MakeGenericType($args))
                    $dict.Add((New-Sample $args[0] ($Depth + 1)), (New-Sample $args[1] ($Depth + 1)))
                    return , $dict
                }
                if ($args.Count -eq 1 -and $definition -match 'List|Enumerable|Collection|Set') {
                    $list = [Activator]::CreateInstance([System.Collections.Generic.List`1].MakeGenericType($args))
                    $list.Add((New-Sample $args[0] ($Depth + 1)))
                    return , $list
                }
            }
            if ($Type.IsAbstract -or $Type.IsInterface) { return $null }
            $ctor = $Type.GetConstructors() | Sort-Object { $_.GetParameters().Count } -Descending | Select-Object -First 1
            if (-not $ctor) { return $null }
            $arguments = [object[]]@($ctor.GetParameters() | ForEach-Object { New-Sample $_.ParameterType ($Depth + 1) })
            $instance = $ctor.Invoke($arguments)
            foreach ($property in $Type.GetProperties() | Where-Object { $_.CanWrite -and $_.SetMethod.IsPublic -and $_.GetIndexParameters().Count -eq 0 }) {
                if ($null -ne ($value = New-Sample $property.PropertyType ($Depth + 1))) {
                    try { $property.SetValue($instance, $value) } catch { }
                }
            }
            return , $instance
        }

        $outputTypes = Get-Command -Module ArgoEtl -CommandType Cmdlet | ForEach-Object { $_.OutputType.Type } |
            Where-Object Namespace -notlike 'System*' | Sort-Object FullName -Unique
        # What a type name looks like when an object has no readable ToString.
        $unreadable = 'System\.Collections|<>|`\d\[|\bArgoEtl\.[A-Z]\w*\.[A-Z]'
    }

    It 'has output types to check' {
        $outputTypes.Count | Should -BeGreaterThan 8
    }

    It 'prints every output type readably with Format-List * and its view' {
        $problems = foreach ($type in $outputTypes) {
            $sample = New-Sample $type
            if ($null -eq $sample) { "$($type.FullName): no sample could be made"; continue }
            foreach ($text in ($sample | Format-List * | Out-String -Width 400), ($sample | Out-String -Width 400)) {
                foreach ($m in [regex]::Matches($text, "(?m)^.*($unreadable).*$")) { "$($type.FullName): $($m.Value.Trim())" }
            }
        }
        $problems | Should -BeNullOrEmpty
    }
}
