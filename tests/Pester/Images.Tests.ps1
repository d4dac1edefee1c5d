BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath
    [ArgoEtl.Testing.Substrates]::EnsureBuildah()
    $registry = [ArgoEtl.Testing.Substrates]::StartRegistry()
    $example = Join-Path $RepoRoot 'examples/minio-json'

    # The .NET base image must come from the local registry (no internet): a FROM-scratch image pushed with buildah.
    $storage = Join-Path $registry.WorkDirectory 'buildah'
    $ctx = Join-Path $registry.WorkDirectory 'base'
    New-Item -ItemType Directory $ctx | Out-Null
    Set-Content (Join-Path $ctx 'Containerfile') "FROM scratch`nCOPY os-release /etc/os-release`n"
    Set-Content (Join-Path $ctx 'os-release') "ID=argoetl-test`n"
    $base = "$($registry.Host)/base:1"
    # The settings the module runs buildah with (vfs storage, its own containers.conf), so this base image lands where the module looks.
    $settings = (Get-ModuleType 'ArgoEtl.Core.Images.BuildahStorage')::new($storage)
    $env:CONTAINERS_CONF = $settings.Environment['CONTAINERS_CONF']
    $buildah = @($settings.Arguments)
    buildah @buildah bud --isolation chroot -f "$ctx/Containerfile" -t $base $ctx 2>&1 | Out-Null
    buildah @buildah push --tls-verify=false $base 2>&1 | Out-Null
}

AfterAll {
    $env:ARGOETL_DATA_HOME = $null
    $env:CONTAINERS_CONF = $null
    if ($registry) { $registry.Dispose() }
}

Describe 'Publish-EtlImage' {
    It 'builds the example''s ETL image from the profile piped in, and finds it cached the second time' {
        $first = Get-EtlProfile $example | Publish-EtlImage -Registry $registry.Host -BaseImage $base
        $first | Should -BeOfType 'ArgoEtl.Core.Images.EtlImage'
        $first.Artifact | Should -Be 'argoetl-etl'
        $first.Builder | Should -Be 'DotNet'
        $first.Pushed | Should -BeTrue
        $first.FullyQualifiedName | Should -Match "^$([regex]::Escape($registry.Host))/argoetl-etl:[0-9a-f]{16}@sha256:[0-9a-f]{64}$"

        $manifest = Invoke-WebRequest "$($registry.Url)/v2/argoetl-etl/manifests/$($first.Tag)" -Method Head -Headers @{ Accept = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' }
        $manifest.Headers['Docker-Content-Digest'] | Should -Be $first.Digest

        $second = Get-EtlProfile $example -Name local | Publish-EtlImage -Registry $registry.Host -BaseImage $base
        $second.Cached | Should -BeTrue
        $second.FullyQualifiedName | Should -Be $first.FullyQualifiedName

        # What it returns is what rendering takes.
        $sensor = Get-EtlProfile $example -Name local | Export-EtlManifest -Image $second | Where-Object Kind -eq Sensor
        $sensor.Yaml | Should -Match ([regex]::Escape("image: $($second.FullyQualifiedName)"))
    }

    It 'plans under -WhatIf without building' {
        Get-EtlProfile $example | Publish-EtlImage -Registry $registry.Host -BaseImage $base -Tag nope -TagPolicy Custom -WhatIf | Should -BeNullOrEmpty
        (Invoke-WebRequest "$($registry.Url)/v2/argoetl-etl/manifests/nope" -Method Head -SkipHttpErrorCheck).StatusCode | Should -Be 404
    }

    It 'logs in to ECR, creates the repository and pushes through the registry ECR hands out' {
        $aws = [ArgoEtl.Testing.Substrates]::StartLocalAws()
        $secure = [ArgoEtl.Testing.Substrates]::StartRegistryWithAuth()
        $saved = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY
        try {
            $env:AWS_ACCESS_KEY_ID = [ArgoEtl.Testing.LocalAws]::AccessKeyId
            $env:AWS_SECRET_ACCESS_KEY = [ArgoEtl.Testing.LocalAws]::SecretAccessKey
            Invoke-RestMethod -Method Post ("$($aws.Url)/_argoetl/ecr?registry={0}&user={1}&password={2}" -f [uri]::EscapeDataString($secure.Url), $secure.User, $secure.Password) | Out-Null

            # The base image must be where the SDK can read it: the ECR registry, with the same login.
            buildah @buildah push --tls-verify=false --creds "$($secure.User):$($secure.Password)" $base "docker://$($secure.Host)/base:1" 2>&1 | Out-Null
            $image = Get-EtlProfile $example | Publish-EtlImage -Ecr -CreateRepository -ScanOnPush -EndpointUrl $aws.Url -Region ap-northeast-2 -BaseImage "$($secure.Host)/base:1" -Verbose 4>&1 |
                Where-Object { $_.PSObject.TypeNames -contains 'ArgoEtl.Core.Images.EtlImage' }
            $image.Repository | Should -Be "$($secure.Host)/argoetl-etl"
            $image.Pushed | Should -BeTrue
            $state = Invoke-RestMethod "$($aws.Url)/_argoetl/state"
            ($state.calls | Where-Object Service -eq ecr).Action | Should -Contain 'CreateRepository'
        }
        finally {
            $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY = $saved
            $secure.Dispose(); $aws.Dispose()
        }
    }

    It 'goes on after a failed artifact, unless -FailFast' {
        $project = Join-Path $registry.WorkDirectory 'two'
        New-Item -ItemType Directory "$project/bad", "$project/good" -Force | Out-Null
        Set-Content "$project/good/Dockerfile" "FROM scratch`nCOPY a.txt /a.txt`n"
        Set-Content "$project/good/a.txt" 'a'
        Set-Content "$project/skaffold.yaml" "apiVersion: skaffold/v4beta13`nkind: Config`nbuild:`n  artifacts:`n  - image: bad`n    context: bad`n  - image: good`n    context: good`n"
        $env:ARGOETL_DATA_HOME = $storage   # buildah's storage for this test's images (ArgoEtl's own setting)

        $err = $null
        $images = Publish-EtlImage -Path $project -Registry $registry.Host -ErrorVariable err -ErrorAction SilentlyContinue
        $images.Artifact | Should -Be 'good'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DockerfileNotFound*'
        $err[0].Exception.Message | Should -Match "'bad'"

        $err = $null
        Publish-EtlImage -Path $project -Registry $registry.Host -FailFast -TagPolicy Custom -Tag fresh -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        (Invoke-WebRequest "$($registry.Url)/v2/good/manifests/fresh" -Method Head -SkipHttpErrorCheck).StatusCode | Should -Be 404
    }

    It 'says where to push when no registry is given' {
        { Get-EtlProfile $example | Publish-EtlImage -ErrorAction Stop } | Should -Throw -ErrorId 'RegistryMissing*'
    }
}
