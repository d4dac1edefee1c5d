# Another module has already loaded older YamlDotNet, AWSSDK.Core or KubernetesClient into the session (Add-Type -Path, the way binary
# modules do). ArgoEtl must still work, using its own versions, in that same session.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $packages = ((dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    $oldYaml = Join-Path $packages 'yamldotnet/11.2.1/lib/netstandard2.1/YamlDotNet.dll'
    $oldAws = Join-Path $packages 'awssdk.core/3.7.402/lib/net8.0/AWSSDK.Core.dll'
    $oldKube = Join-Path $packages 'kubernetesclient/19.0.2/lib/net8.0/KubernetesClient.dll'
    $s3 = Start-TestS3rver
    (Invoke-S3rver $s3.Endpoint PUT 'iso' $null).StatusCode | Should -Be 200
    $work = Join-Path ([IO.Path]::GetTempPath()) ("argoetl-iso-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory $work | Out-Null
    Set-Content "$work/scores.csv" "no,name,score`n1,Kim,87`n" -NoNewline
    # A YAML schema file: parsed by YamlDotNet inside ArgoEtl.
    Set-Content "$work/schema.yaml" "columns:`n  - name: no`n    type: int64`n  - name: name`n    type: string`n  - name: score`n    type: int32`n"
}

AfterAll {
    if ($s3) { $s3.Dispose() }
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}

Describe 'Dependency isolation' {
    It 'works after older YamlDotNet and AWSSDK.Core were loaded by someone else' {
        $script = @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$oldYaml'
Add-Type -Path '$oldAws'
`$env:AWS_ACCESS_KEY_ID = 'S3RVER'; `$env:AWS_SECRET_ACCESS_KEY = 'S3RVER'
Import-Module '$ModulePath'
`$r = Invoke-EtlTransform -Path '$work/scores.csv' -SchemaPath '$work/schema.yaml' -Destination 's3://iso/output/scores.parquet' -EndpointUrl '$($s3.Endpoint)'
`$loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -in 'YamlDotNet', 'AWSSDK.Core' } |
    ForEach-Object { '{0}={1}@{2}' -f `$_.GetName().Name, `$_.GetName().Version.Major, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name }
'RESULT ' + `$r.Output + ' ' + `$r.Rows + ' ' + `$r.Schema
'LOADED ' + ((`$loaded | Sort-Object) -join ' ')
"@
        $output = Invoke-FreshPwsh $script | Out-String
        $output | Should -Match 'RESULT s3://iso/output/scores.parquet 1 no:int64,name:string,score:int32'
        # Both versions of each library are loaded, each in its own context.
        $output | Should -Match 'YamlDotNet=11@Default'
        $output | Should -Match 'YamlDotNet=18@ArgoEtl'
        $output | Should -Match 'AWSSDK.Core=3@Default'
        $output | Should -Match 'AWSSDK.Core=4@ArgoEtl'
        $object = Invoke-S3rver $s3.Endpoint GET 'iso/output/scores.parquet' $null
        $object.StatusCode | Should -Be 200
        [Text.Encoding]::ASCII.GetString($object.Content[0..3]) | Should -Be 'PAR1'
    }

    It 'talks to Kubernetes with its own KubernetesClient after an older one was loaded' {
        $kube = [ArgoEtl.Testing.Substrates]::StartKubeApi()
        $shared = Join-Path ([ArgoEtl.Testing.Substrates]::SharedDirectory) 'argo'
        $script = @"
`$ErrorActionPreference = 'Stop'
[void][Reflection.Assembly]::LoadFrom('$oldKube')
Import-Module '$ModulePath'
`$status = Get-EtlInfra -KubeConfig '$($kube.Kubeconfig)' -ManifestSource '$shared'
`$loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'KubernetesClient' } |
    ForEach-Object { '{0}={1}@{2}' -f `$_.GetName().Name, `$_.GetName().Version.Major, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name }
'RESULT ' + ((`$status | ForEach-Object { `$_.Component + ':' + `$_.Status }) -join ' ')
'LOADED ' + ((`$loaded | Sort-Object) -join ' ')
"@
        try { $output = Invoke-FreshPwsh $script | Out-String } finally { $kube.Dispose() }
        $output | Should -Match 'RESULT ArgoEvents:Missing ArgoWorkflows:Missing'
        $output | Should -Match 'KubernetesClient=19@Default'
        $output | Should -Match 'KubernetesClient=21@ArgoEtl'
    }
}
