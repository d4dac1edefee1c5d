# examples/ftp on the local target through the built module, as a user runs it with an FTP server of their own:
# Get-EtlProfile -Name host | Start-EtlDev -Target Local. The event server runs as a host process started by the
# local target, the generic EventSource dials it through its Service name, and a CSV uploaded over FTP to real vsftpd
# becomes Parquet in the local store. Ctrl+C (Stop) ends the event server with the session.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath
    $work = Join-Path ([IO.Path]::GetTempPath()) "argoetl-ftp-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory $work | Out-Null
    $scores = Join-Path $RepoRoot 'examples/data/scores.csv'
    # Several passive ports: the event server lists while the upload and the step's download run.
    $ftp = [ArgoEtl.Testing.Substrates]::StartVsftpdWithUser(4)

    function Get-Snapshot($Collection) { if ($Collection.Count) { $Collection[0..($Collection.Count - 1)] } }

    # The example as a user adapts it: host/ftp-server.yaml names their server; the build contexts point at this
    # checkout; the EventSource polls every second and waits 2 s for stability (10 s in the example).
    $project = Join-Path $work 'ftp'
    Copy-Item (Join-Path $RepoRoot 'examples/ftp') $project -Recurse
    Remove-Item (Join-Path $project '.argoetl') -Recurse -Force -ErrorAction Ignore
    $src = Join-Path $RepoRoot 'src'
    (Get-Content "$project/skaffold.yaml" -Raw).Replace('../../src/', "$src/") | Set-Content "$project/skaffold.yaml"
    (Get-Content "$project/k8s/eventsource.yaml" -Raw).Replace('pollInterval: 10s', 'pollInterval: 1s').Replace('stableFor: 10s', 'stableFor: 2s') | Set-Content "$project/k8s/eventsource.yaml"
    (Get-Content "$project/host/ftp-server.yaml" -Raw).Replace('port: 2121', "port: $($ftp.Port)") | Set-Content "$project/host/ftp-server.yaml"

    # The Secret 'ftp' as the local target takes it: a file per key.
    $state = Join-Path $work 'state'
    New-Item -ItemType Directory "$state/secrets/ftp" -Force | Out-Null
    [IO.File]::WriteAllText("$state/secrets/ftp/ARGOETL_FTP_USER", $ftp.User)
    [IO.File]::WriteAllText("$state/secrets/ftp/ARGOETL_FTP_PASSWORD", $ftp.Password)
}

AfterAll {
    if ($ftp) { $ftp.Dispose() }
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}

Describe 'examples/ftp with Start-EtlDev -Target Local' {
    It 'turns a CSV uploaded over FTP into Parquet in the local store, and stops the event server on Ctrl+C' {
        $ps = [powershell]::Create()
        [void]$ps.AddScript("Import-Module '$ModulePath'; Get-EtlProfile '$project' -Name host | Start-EtlDev -Target Local -StateDirectory '$state'")
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $none = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $none.Complete()
        $handle = $ps.BeginInvoke($none, $output)
        $serverLog = Join-Path $state 'workloads/ftp-events/main.log'
        try {
            # Builds both .NET projects, starts the event server; its first listing means the EventSource has dialled it.
            $deadline = (Get-Date).AddSeconds(300)
            do { Start-Sleep -Milliseconds 300 } until (((Test-Path $serverLog) -and (Select-String -Path $serverLog -Pattern 'Listed ' -Quiet)) -or (Get-Date) -gt $deadline -or $handle.IsCompleted)
            Select-String -Path $serverLog -Pattern 'Listed ' -Quiet | Should -BeTrue -Because ((@(Get-Snapshot $ps.Streams.Error) + @(Get-Snapshot $output)) | Out-String)
            (pgrep -f ([regex]::Escape((Join-Path $state 'build')))) | Should -Not -BeNullOrEmpty

            $put = [System.Net.WebRequest]::Create("ftp://127.0.0.1:$($ftp.Port)/upload/scores.csv")
            $put.Method = [System.Net.WebRequestMethods+Ftp]::UploadFile
            $put.UsePassive = $true
            $put.Credentials = [System.Net.NetworkCredential]::new($ftp.User, $ftp.Password)
            $body = $put.GetRequestStream()
            $bytes = [IO.File]::ReadAllBytes($scores)
            $body.Write($bytes, 0, $bytes.Length)
            $body.Close()
            $put.GetResponse().Close()

            $deadline = (Get-Date).AddSeconds(180)
            do {
                Start-Sleep -Milliseconds 300
                $run = Get-Snapshot $output | Where-Object { $_.PSObject.TypeNames -contains 'ArgoEtl.Core.Runs.EtlWorkflowRun' } | Select-Object -First 1
            } until ($run -or (Get-Date) -gt $deadline -or $handle.IsCompleted)
            $run.Phase | Should -Be 'Succeeded' -Because ((@(Get-Snapshot $ps.Streams.Error) + @(Get-Snapshot $output)) | Out-String)
            $parquet = [IO.File]::ReadAllBytes((Join-Path $state 'buckets/etl/output/scores.parquet'))
            [Text.Encoding]::ASCII.GetString($parquet, 0, 4) | Should -Be 'PAR1'
            [Text.Encoding]::ASCII.GetString($parquet, $parquet.Length - 4, 4) | Should -Be 'PAR1'
        }
        finally {
            $ps.Stop()   # what Ctrl+C does
            $ps.Dispose()
        }

        pgrep -f ([regex]::Escape((Join-Path $state 'build'))) | Should -BeNullOrEmpty
        Test-Path (Join-Path $state 'workloads/ftp-events/secret-volumes') | Should -BeFalse
        Get-Content $serverLog -Raw | Should -Not -Match ([regex]::Escape($ftp.Password))
    }
}
