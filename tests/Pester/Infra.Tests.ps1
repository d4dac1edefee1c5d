BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath
    $kube = [ArgoEtl.Testing.Substrates]::StartKubeApi()
    $s3 = Start-TestS3rver
    $shared = Join-Path ([ArgoEtl.Testing.Substrates]::SharedDirectory) 'argo'
    $bucket = "artifacts-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $common = @{ KubeConfig = $kube.Kubeconfig; ManifestSource = $shared }
    $install = $common + @{ ObjectStoreEndpoint = $s3.Endpoint; ObjectStoreUser = 'S3RVER'; Timeout = [timespan]::FromSeconds(30) }

    # Real kubectl reads what the module applied (a fresh discovery cache each time; the server has no OpenAPI).
    function kc { $input | kubectl --kubeconfig $kube.Kubeconfig --cache-dir (Join-Path $kube.WorkDirectory "cache-$([guid]::NewGuid())") @args }

    # Something of the user's that existed before: it must survive the uninstall.
    @'
apiVersion: v1
kind: Namespace
metadata:
  name: argo
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: team-notes
  namespace: argo
data:
  owner: data-team
'@ | kc create --validate=false -f - | Out-Null
}

AfterAll {
    if ($kube) { $kube.Dispose() }
    if ($s3) { $s3.Dispose() }
}

Describe 'Install-EtlInfra, Get-EtlInfra, Get-EtlWorkflowToken, Uninstall-EtlInfra against the test API server' {
    It 'changes nothing under -WhatIf' {
        Install-EtlInfra @install -WhatIf | Should -BeNullOrEmpty
        kc get crd -o name | Should -BeNullOrEmpty
    }

    It 'installs every component, which kubectl then sees with ArgoEtl''s labels' {
        $applied = Install-EtlInfra @install
        $applied[0] | Should -BeOfType 'ArgoEtl.Core.Kubernetes.AppliedObject'
        ($applied | Where-Object Action -eq 'created').Count | Should -BeGreaterThan 20

        (kc get crd -o name) | Should -Contain 'customresourcedefinition.apiextensions.k8s.io/eventbus.argoproj.io'
        (kc get crd -o name) | Should -Contain 'customresourcedefinition.apiextensions.k8s.io/workflows.argoproj.io'
        kc get eventbus default -n argo-events -o 'jsonpath={.spec.jetstream.version}' | Should -Be '2.10.10'
        kc get serviceaccount operate-workflow-sa -n argo-events -o 'jsonpath={.metadata.labels.app\.kubernetes\.io/managed-by}' | Should -Be 'argoetl'
        kc get role operate-workflow-role -n argo-events -o 'jsonpath={.rules[0].resources}' | Should -Match 'workflows'
        kc get rolebinding operate-workflow-role-binding -n argo-events -o 'jsonpath={.subjects[0].name}' | Should -Be 'operate-workflow-sa'
        kc get secret argo-server-token -n argo -o 'jsonpath={.type}' | Should -Be 'kubernetes.io/service-account-token'
        kc get secret minio -n argo-events -o 'jsonpath={.data.root-user}' | Should -Not -BeNullOrEmpty
        kc get deployment minio -n argo-events -o 'jsonpath={.metadata.labels.argoetl\.io/project}' | Should -Be 'argoetl-infra'
        kc get configmap artifact-repositories -n argo-events -o 'jsonpath={.metadata.annotations.workflows\.argoproj\.io/default-artifact-repository}' | Should -Be 'default-v1'
        (Invoke-S3rver $s3.Endpoint GET '' $null).Content | Should -Match '<Name>artifacts</Name>'
    }

    It 'reports everything unchanged the second time' {
        $again = Install-EtlInfra @install
        $again | Where-Object { $_.Action -notlike 'unchanged*' } | Should -BeNullOrEmpty
    }

    It 'reports every component healthy and hands out the UI token as a SecureString' {
        $status = Get-EtlInfra @common
        $status.Component | Should -Be @('ArgoEvents', 'ArgoWorkflows', 'EventBus', 'SensorRbac', 'UiToken', 'ObjectStore')
        $status | Where-Object Status -ne 'Healthy' | Should -BeNullOrEmpty
        Get-EtlWorkflowToken -KubeConfig $kube.Kubeconfig | Should -BeOfType 'System.Security.SecureString'
        Get-EtlWorkflowToken -KubeConfig $kube.Kubeconfig -AsPlainText | Should -Match '^Bearer \S+$'
    }

    It 'uninstalls what it created and leaves what existed before' {
        $removed = Uninstall-EtlInfra -KubeConfig $kube.Kubeconfig -Confirm:$false
        $removed.Action | Select-Object -Unique | Should -Be 'deleted'
        kc get crd -o name | Should -BeNullOrEmpty
        kc get namespace argo-events -o name 2>$null | Should -BeNullOrEmpty
        kc get namespace argo -o name | Should -Be 'namespace/argo'
        kc get configmap team-notes -n argo -o 'jsonpath={.data.owner}' | Should -Be 'data-team'
        (Get-EtlInfra @common | Select-Object -ExpandProperty Status -Unique) | Should -Be 'Missing'
    }
}
