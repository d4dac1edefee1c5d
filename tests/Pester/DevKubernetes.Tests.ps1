BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath
    $kube = [ArgoEtl.Testing.Substrates]::StartKubeApi()
    function kc { kubectl --kubeconfig $kube.Kubeconfig --cache-dir (Join-Path $kube.WorkDirectory "cache-$([guid]::NewGuid())") @args }

    $project = Join-Path $kube.WorkDirectory 'onceproject'
    New-Item -ItemType Directory "$project/k8s" -Force | Out-Null
    Set-Content "$project/skaffold.yaml" @"
apiVersion: skaffold/v4beta13
kind: Config
metadata:
  name: oncepester
manifests:
  rawYaml:
  - k8s/*.yaml
"@
    Set-Content "$project/k8s/app.yaml" @'
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
data:
  mode: once
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: default
spec:
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      containers:
      - name: app
        image: busybox
'@
    $selector = 'argoetl.io/project=dev-oncepester'
}

AfterAll {
    if ($kube) { $kube.Dispose() }
}

Describe 'Start-EtlDev -Once and Remove-EtlDeployment' {
    It 'deploys once and returns leaving it running; -WhatIf removes nothing; piping what it deployed removes exactly that' {
        'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: not-mine, namespace: default}' -join "`n" | Set-Content (Join-Path $kube.WorkDirectory 'mine.yaml')
        kc create --validate=false -f (Join-Path $kube.WorkDirectory 'mine.yaml') | Out-Null

        # No artifacts: nothing is built or pushed, so the registry is never contacted.
        $deployed = Start-EtlDev -Path $project -KubeConfig $kube.Kubeconfig -Registry 127.0.0.1:9 -Once -ErrorAction Stop
        $deployed.Kind | Sort-Object | Should -Be @('ConfigMap', 'Deployment')
        $deployed.Project | Sort-Object -Unique | Should -Be 'dev-oncepester'
        (kc get 'configmaps,deployments' "--selector=$selector" --output=name) | Sort-Object | Should -Be @('configmap/settings', 'deployment.apps/app')

        $deployed | Remove-EtlDeployment -KubeConfig $kube.Kubeconfig -WhatIf | Should -BeNullOrEmpty
        (kc get 'configmaps,deployments' "--selector=$selector" --output=name) | Should -HaveCount 2

        $removed = $deployed | Remove-EtlDeployment -KubeConfig $kube.Kubeconfig -Confirm:$false
        $removed.Action | Sort-Object -Unique | Should -Be 'deleted'
        $removed.Name | Sort-Object | Should -Be @('app', 'settings')
        kc get 'configmaps,deployments,pods' "--selector=$selector" --output=name | Should -BeNullOrEmpty
        kc get pods --selector=app=app --output=name | Should -BeNullOrEmpty
        kc get configmap not-mine -o name | Should -Be 'configmap/not-mine'

        # Found by the project's labels from its folder too; nothing is left to find.
        Remove-EtlDeployment -Path $project -KubeConfig $kube.Kubeconfig -Confirm:$false | Should -BeNullOrEmpty
    }

    It 'offers -NoLogs and -Once on Start-EtlDev and -WhatIf on Remove-EtlDeployment' {
        (Get-Command Start-EtlDev).Parameters.Keys | Should -Contain 'NoLogs'
        (Get-Command Start-EtlDev).Parameters.Keys | Should -Contain 'Once'
        (Get-Command Remove-EtlDeployment).Parameters.Keys | Should -Contain 'WhatIf'
        (Get-Command Remove-EtlDeployment).Parameters['Project'].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipelineByPropertyName | Should -Contain $true
    }

    It 'never takes the platform for a dev session: what Install-EtlInfra applied (Project argoetl-infra) is refused' {
        $platformObject = [pscustomobject]@{ Project = 'argoetl-infra'; Kind = 'Namespace'; Name = 'argo' }
        { $platformObject | Remove-EtlDeployment -KubeConfig (Join-Path $TestDrive 'none') -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,ArgoEtl.PowerShell.Commands.Projects.RemoveEtlDeploymentCommand'
    }
}
