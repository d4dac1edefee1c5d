BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath
    [ArgoEtl.Testing.Substrates]::EnsureBuildah()
    $kube = [ArgoEtl.Testing.Substrates]::StartKubeApi()
    $registry = [ArgoEtl.Testing.Substrates]::StartRegistry()
    function kc { $input | kubectl --kubeconfig $kube.Kubeconfig --cache-dir (Join-Path $kube.WorkDirectory "cache-$([guid]::NewGuid())") @args }

    $project = Join-Path $registry.WorkDirectory 'devproject'
    New-Item -ItemType Directory "$project/ctx", "$project/k8s" -Force | Out-Null
    Set-Content "$project/ctx/Dockerfile" "FROM scratch`nCOPY hello.txt /hello.txt`n"
    Set-Content "$project/ctx/hello.txt" 'hello'
    Set-Content "$project/skaffold.yaml" @"
apiVersion: skaffold/v4beta13
kind: Config
metadata:
  name: devpester
build:
  artifacts:
  - image: app
    context: ctx
manifests:
  rawYaml:
  - k8s/*.yaml
"@
    Set-Content "$project/k8s/app.yaml" @'
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
        image: app
'@
    # A data folder that does not exist yet: .NET then reports no LocalApplicationData at all, which once put buildah's
    # storage relative to the current directory (the repository root). The module must create it instead.
    $dataHome = Join-Path $registry.WorkDirectory 'data'
    $env:XDG_DATA_HOME = $dataHome
    $env:ARGOETL_DATA_HOME = $null
}

AfterAll {
    $env:XDG_DATA_HOME = $null
    if ($kube) { $kube.Dispose() }
    if ($registry) { $registry.Dispose() }
}

Describe 'Start-EtlDev' {
    It 'deploys with the built image, and stopping the pipeline (Ctrl+C) deletes what it deployed' {
        $ps = [powershell]::Create()
        [void]$ps.AddScript("Import-Module '$ModulePath'; Get-EtlProfile '$project' | Start-EtlDev -Registry '$($registry.Host)' -KubeConfig '$($kube.Kubeconfig)'")
        $handle = $ps.BeginInvoke()
        try {
            $deadline = (Get-Date).AddSeconds(60)
            do {
                Start-Sleep -Milliseconds 300
                $image = kc get deployment app -n default -o 'jsonpath={.spec.template.spec.containers[0].image}' 2>$null
            } until ($image -or (Get-Date) -gt $deadline -or $handle.IsCompleted)
            $image | Should -Match "^$([regex]::Escape($registry.Host))/app:[0-9a-f]{16}@sha256:"
            kc get deployment app -n default -o 'jsonpath={.metadata.labels.argoetl\.io/project}' | Should -Be 'dev-devpester'
        }
        finally {
            $ps.Stop()   # what Ctrl+C does: StopProcessing, then the session cleans up before Stop returns
            $ps.Dispose()
        }

        kc get deployment app -n default -o name 2>$null | Should -BeNullOrEmpty
        Test-Path (Join-Path $dataHome 'argoetl/buildah/containers.conf') | Should -BeTrue
        Test-Path (Join-Path (Get-Location) 'argoetl') | Should -BeFalse
    }
}
