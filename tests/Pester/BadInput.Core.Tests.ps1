# Issue 17, control plane: bad input to the project, kubeconfig and AWS cmdlets gives coded errors, leaves files as
# they were and prints no password.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath
    $aws = [ArgoEtl.Testing.Substrates]::StartLocalAws()
    $secret = ConvertTo-SecureString ([ArgoEtl.Testing.LocalAws]::SecretAccessKey) -AsPlainText -Force
    $connection = @{ EndpointUrl = $aws.Url; Region = 'ap-northeast-2'; Credential = [pscredential]::new([ArgoEtl.Testing.LocalAws]::AccessKeyId, $secret) }
    Invoke-RestMethod -Method Post "$($aws.Url)/_argoetl/buckets/etl-landing?region=ap-northeast-2" | Out-Null

    function New-Project([string] $Manifest) {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("argoetl-bad-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path (Join-Path $dir 'k8s') | Out-Null
        Set-Content -Path (Join-Path $dir 'skaffold.yaml') -Value "apiVersion: skaffold/v4beta13`nkind: Config`nmanifests:`n  rawYaml:`n  - k8s/*.yaml`n"
        Set-Content -Path (Join-Path $dir 'k8s/app.yaml') -Value $Manifest
        $dir
    }
    $good = "apiVersion: v1`nkind: ConfigMap`nmetadata:`n  name: good`ndata:`n  a: b"
}

AfterAll {
    if ($aws) { $aws.Dispose() }
}

Describe 'Export-EtlManifest -OutputPath on a failing project (case 5)' {
    It 'leaves an existing output file unchanged and writes no temp file' {
        $project = New-Project "apiVersion: v1`nkind: ConfigMap`nmetadata: {name: broken`ndata:`n  a: b"
        $out = Join-Path $project 'out/all.yaml'
        New-Item -ItemType Directory (Split-Path $out) | Out-Null
        Set-Content -Path $out -Value 'previous render' -NoNewline
        $err = $null
        Export-EtlManifest -Path $project -OutputPath $out -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'YamlSyntaxError*'
        $err[0].Exception.Message | Should -Match 'app\.yaml:3:11:'
        Get-Content -Raw $out | Should -Be 'previous render'
        @(Get-ChildItem -Force (Split-Path $out)).Name | Should -Be @('all.yaml')
    }

    It 'creates no file at all when there is no skaffold.yaml' {
        $empty = Join-Path ([IO.Path]::GetTempPath()) ("argoetl-empty-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory $empty | Out-Null
        $out = Join-Path $empty 'all.yaml'
        Export-EtlManifest -Path $empty -OutputPath $out -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        Test-Path $out | Should -BeFalse
    }

    It 'still writes the file, replacing the old one, when rendering succeeds' {
        $project = New-Project $good
        $out = Join-Path $project 'all.yaml'
        Set-Content -Path $out -Value 'previous render'
        Export-EtlManifest -Path $project -OutputPath $out
        Get-Content -Raw $out | Should -Match 'name: good'
        @(Get-ChildItem -Force $project -Filter '*.tmp').Count | Should -Be 0
    }
}

Describe 'Test-EtlProject on documents that are not Kubernetes objects (case 15)' {
    It 'reports a document without kind as an error finding, as Export-EtlManifest refuses it' {
        $project = New-Project "apiVersion: v1`nmetadata:`n  name: nokind"
        $finding = Test-EtlProject -Path $project | Where-Object Rule -eq 'ManifestNotAnObject'
        $finding.Severity | Should -Be 'Error'
        "$($finding.File):$($finding.Line)" | Should -Be 'k8s/app.yaml:1'
        $err = $null
        Export-EtlManifest -Path $project -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ManifestNotAnObject*'
    }
}

Describe 'A KUBECONFIG that names a missing file (case 15)' {
    It 'names that file, not ~/.kube/config' {
        $saved = $env:KUBECONFIG
        $missing = Join-Path ([IO.Path]::GetTempPath()) 'argoetl-no-such-kubeconfig.yaml'
        try {
            $env:KUBECONFIG = $missing
            $err = $null
            Get-EtlWorkflowToken -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'KubeconfigNotFound*'
            $err[0].Exception.Message | Should -Match ([regex]::Escape($missing))
            $err[0].Exception.Message | Should -Not -Match '\.kube/config'
        } finally {
            $env:KUBECONFIG = $saved
        }
    }
}

Describe 'AWS notification cmdlets on bad input (case 12)' {
    It 'Get-EtlS3Notification on a missing bucket is a NoSuchBucket error' {
        $err = $null
        $found = Get-EtlS3Notification -Bucket no-such-bucket @connection -ErrorVariable err -ErrorAction SilentlyContinue
        $found | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'S3BucketNotFound*'
        $err[0].Exception.Message | Should -Match 'NoSuchBucket'
    }

    It 'Remove-EtlS3Notification on a missing bucket is a NoSuchBucket error' {
        $err = $null
        Remove-EtlS3Notification -Project csv2json -Bucket no-such-bucket @connection -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'S3BucketNotFound*'
    }

    It 'New-EtlS3Notification refuses a prefix with a newline before any call' {
        $before = @((Invoke-RestMethod "$($aws.Url)/_argoetl/state").calls).Count
        $err = $null
        New-EtlS3Notification -Project csv2json -Bucket etl-landing -Prefix "input/`nx" @connection -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidKeyFilter*'
        @((Invoke-RestMethod "$($aws.Url)/_argoetl/state").calls).Count | Should -Be $before
    }

    It 'an unreachable endpoint is AwsUnreachable naming it, without the password in its URL' {
        $err = $null
        Get-EtlS3Notification -Bucket etl-landing -EndpointUrl 'http://probe:AWS-URL-PASS-777@127.0.0.1:1' -Region ap-northeast-2 -Credential $connection.Credential -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AwsUnreachable*'
        $err[0].Exception.Message | Should -Match '127\.0\.0\.1:1'
        ($err | Out-String) + $err[0].TargetObject | Should -Not -Match 'AWS-URL-PASS-777'
    }
}
