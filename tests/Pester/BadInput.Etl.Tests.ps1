# Bad input through the cmdlets of the data plane and the dev loop (the CLI and the library are covered by the xUnit
# corpus in tests/ArgoEtl.Tests/Etl/BadInput).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath
    $work = Join-Path ([IO.Path]::GetTempPath()) "argoetl-badinput-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory $work | Out-Null
}

AfterAll {
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}

Describe 'Invoke-EtlTransform with several inputs' {
    It 'reports a bad input as a non-terminating error for that input only and converts the others' {
        Set-Content "$work/dup.csv" "id,id`n1,2"
        Set-Content "$work/good.csv" "id,name`n1,Kim"
        $err = $null
        $results = Get-ChildItem "$work/dup.csv", "$work/good.csv" | Invoke-EtlTransform -Format Json -Destination "$work/out/" -ErrorVariable err -ErrorAction SilentlyContinue
        $results | Should -HaveCount 1
        $results.Rows | Should -Be 1
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CsvDuplicateHeader*'
        $err[0].CategoryInfo.Category | Should -Not -Be 'NotSpecified'
        $err[0].ErrorDetails.RecommendedAction + $err[0].Exception.Suggestion | Should -Not -BeNullOrEmpty
        Test-Path "$work/out/dup.json" | Should -BeFalse
    }
}

Describe 'Start-EtlDev against an API server that does not answer' {
    It 'reports KubeApiUnreachable once, without the credential in the server URL' {
        $port = & { $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); try { $l.LocalEndpoint.Port } finally { $l.Stop() } }
        $secret = [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(12))   # made for this run
        Set-Content "$work/kubeconfig" @"
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: http://probe:$secret@127.0.0.1:$port
contexts:
- name: c
  context: {cluster: c, user: u}
current-context: c
users:
- name: u
  user: {token: abc}
"@
        New-Item -ItemType Directory "$work/proj/k8s" -Force | Out-Null
        Set-Content "$work/proj/skaffold.yaml" "apiVersion: skaffold/v4beta13`nkind: Config`nmanifests:`n  rawYaml:`n  - k8s/*.yaml`n"
        Set-Content "$work/proj/k8s/cm.yaml" "apiVersion: v1`nkind: ConfigMap`nmetadata:`n  name: x`n"
        $err = $null
        $job = Start-ThreadJob { param($m, $p, $k) Import-Module $m; Start-EtlDev -Path $p -Target Kubernetes -KubeConfig $k -Registry 127.0.0.1:1 -ErrorAction Continue 2>&1 } -ArgumentList $ModulePath, "$work/proj", "$work/kubeconfig"
        # The loop reports a failed deploy and waits for the next change, so the job keeps running: read what it wrote.
        $deadline = (Get-Date).AddSeconds(90)
        do { Start-Sleep -Milliseconds 500; $out = @($job | Receive-Job -Keep) } until (($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) -or $job.State -ne 'Running' -or (Get-Date) -gt $deadline)
        Start-Sleep -Seconds 3   # a second report of the same failure would come now
        $out = @($job | Receive-Job -Keep)
        $job | Stop-Job -PassThru | Remove-Job -Force
        $errors = @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        ($errors | Where-Object FullyQualifiedErrorId -like 'KubeApiUnreachable*') | Should -HaveCount 1 -Because ($out | Out-String)
        ($out | Out-String) | Should -Not -Match $secret
    }
}
