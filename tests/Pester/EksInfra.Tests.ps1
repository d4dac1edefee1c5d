BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath
    $kube = [ArgoEtl.Testing.Substrates]::StartKubeApi()
    $aws = [ArgoEtl.Testing.Substrates]::StartLocalAws()
    $region = 'eu-west-1'
    $issuer = Invoke-RestMethod -Method Post "$($aws.Url)/_argoetl/eks/clusters/etl?region=$region"

    # The Argo releases from ../shared/argo and a rendered controller, as -ManifestSource holds them offline.
    $source = Join-Path $TestDrive 'manifests'
    $shared = Join-Path ([ArgoEtl.Testing.Substrates]::SharedDirectory) 'argo'
    New-Item -ItemType Directory -Path (Join-Path $source 'aws-load-balancer-controller') -Force | Out-Null
    foreach ($folder in 'events', 'workflows') { New-Item -ItemType SymbolicLink -Path (Join-Path $source $folder) -Target (Join-Path $shared $folder) | Out-Null }
    Set-Content (Join-Path $source 'aws-load-balancer-controller/iam_policy.json') '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"elasticloadbalancing:*","Resource":"*"}]}'
    Set-Content (Join-Path $source 'aws-load-balancer-controller/controller.yaml') @'
apiVersion: apps/v1
kind: Deployment
metadata: {name: aws-load-balancer-controller, namespace: kube-system}
spec:
  replicas: 1
  selector: {matchLabels: {app: lbc}}
  template:
    metadata: {labels: {app: lbc}}
    spec:
      serviceAccountName: aws-load-balancer-controller
      containers: [{name: controller, image: example.invalid/lbc:v2.13.3, args: [--cluster-name=your-cluster-name]}]
'@

    $secret = ConvertTo-SecureString ([ArgoEtl.Testing.LocalAws]::SecretAccessKey) -AsPlainText -Force
    $eks = @{
        Profile = 'Eks'; ClusterName = 'etl'; Region = $region; EndpointUrl = $aws.Url
        Credential = [pscredential]::new([ArgoEtl.Testing.LocalAws]::AccessKeyId, $secret)
        KubeConfig = $kube.Kubeconfig
    }
    $install = $eks + @{ ManifestSource = $source; ArtifactBucket = 'etl-artifacts'; Timeout = [timespan]::FromSeconds(30) }

    function State { Invoke-RestMethod "$($aws.Url)/_argoetl/state" }
    function Mutating { @((State).calls | Where-Object Mutating).Count }
    function kc { $input | kubectl --kubeconfig $kube.Kubeconfig --cache-dir (Join-Path $kube.WorkDirectory "cache-$([guid]::NewGuid())") @args }
}

AfterAll {
    if ($kube) { $kube.Dispose() }
    if ($aws) { $aws.Dispose() }
}

Describe 'Install-EtlInfra -Profile Eks against the local AWS endpoint and the test API server' {
    It 'makes no mutating AWS call and applies nothing under -WhatIf' {
        Install-EtlInfra @install -WhatIf | Should -BeNullOrEmpty
        Mutating | Should -Be 0
        kc get crd -o name | Should -BeNullOrEmpty
    }

    It 'creates the OIDC provider, the policy, the IRSA role and the annotated ServiceAccount' {
        $applied = Install-EtlInfra @install
        ($applied | Where-Object Kind -eq 'IamOidcProvider').Action | Should -Be 'created'
        $state = State
        @($state.oidcProviders) | Should -HaveCount 1
        $state.oidcProviders[0] | Should -BeLike "*oidc-provider/$($issuer.Substring(8))"
        $state.policies | Should -Contain 'arn:aws:iam::123456789012:policy/AWSLoadBalancerControllerIAMPolicy'
        kc get serviceaccount aws-load-balancer-controller -n kube-system -o 'jsonpath={.metadata.annotations.eks\.amazonaws\.com/role-arn}' |
            Should -Be 'arn:aws:iam::123456789012:role/etl-aws-load-balancer-controller'
        kc get ingress argo-server -n argo -o 'jsonpath={.spec.ingressClassName}' | Should -Be 'alb'
    }

    It 'changes nothing the second time' {
        $before = Mutating
        Install-EtlInfra @install | ForEach-Object { $_.Action | Should -BeLike 'unchanged*' }
        Mutating | Should -Be $before
    }

    It 'reports the AWS components healthy' {
        $status = Get-EtlInfra @eks -ManifestSource $source
        ($status | Where-Object Component -eq 'OidcProvider').Status | Should -Be 'Healthy'
        ($status | Where-Object Component -eq 'LoadBalancerControllerRole').Status | Should -Be 'Healthy'
    }

    It 'uninstalls what it created, and a second uninstall finds nothing' {
        Uninstall-EtlInfra @eks -Confirm:$false | Where-Object Kind -eq 'IamRole' | Should -Not -BeNullOrEmpty
        $state = State
        $state.oidcProviders | Should -BeNullOrEmpty
        $state.policies | Should -BeNullOrEmpty
        @($state.roles.PSObject.Properties.Name) | Should -Be @('eks-node-role')
        $before = Mutating
        Uninstall-EtlInfra @eks -Confirm:$false | Should -BeNullOrEmpty
        Mutating | Should -Be $before
    }
}

Describe 'Get-EtlInfraLeftover | Remove-EtlInfraLeftover' {
    BeforeAll {
        $leftoverCall = @{ EndpointUrl = $aws.Url; Credential = $eks.Credential }
        # The same cluster name still exists in the default region; its leftovers are looked for in eu-west-1, where it is gone.
        Invoke-RestMethod -Method Post "$($aws.Url)/_argoetl/eks/clusters/gone?region=us-east-1" | Out-Null
        Invoke-RestMethod -Method Post "$($aws.Url)/_argoetl/tagged/securitygroup/sg-gone?name=k8s-gone&tagKey=elbv2.k8s.aws/cluster&tagValue=gone" | Out-Null
        Invoke-RestMethod -Method Post "$($aws.Url)/_argoetl/tagged/networkinterface/eni-busy?name=aws-K8S-i-9&tagKey=cluster.k8s.amazonaws.com/name&tagValue=gone&status=in-use" | Out-Null
        $savedRegion = $env:AWS_REGION
        $env:AWS_REGION = 'us-east-1'
    }

    AfterAll { $env:AWS_REGION = $savedRegion }

    It 'refuses while the cluster exists in the region asked' {
        Get-EtlInfraLeftover gone @leftoverCall -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'EksClusterStillExists*'
    }

    It 'removes in the region each leftover was found in, writes what it removed, and skips an ENI in use with a warning' {
        $found = Get-EtlInfraLeftover gone -Region eu-west-1 @leftoverCall
        $found.Region | Sort-Object -Unique | Should -Be 'eu-west-1'
        $removed = $found | Remove-EtlInfraLeftover @leftoverCall -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue
        @($removed).Id | Should -Be @('sg-gone')
        $removed.PSObject.TypeNames | Should -Contain 'ArgoEtl.Core.Infra.Eks.EksLeftover'
        "$warned" | Should -BeLike '*eni-busy*in use*'
        (Get-EtlInfraLeftover gone -Region eu-west-1 @leftoverCall).Id | Should -Be 'eni-busy'
    }
}
