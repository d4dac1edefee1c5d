# The local target end to end, through the built module: the examples, and a project the module has not seen that
# combines a webhook source with a data filter, a dataTemplate parameter, and a steps Workflow whose steps run a
# project-built .NET image (host process) and a Dockerfile image (buildah container) and pass output parameters along.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath
    [ArgoEtl.Testing.Substrates]::EnsureBuildah()
    $work = Join-Path ([IO.Path]::GetTempPath()) "argoetl-local-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory $work | Out-Null
    # One state folder for the examples: the .NET artifact is published once and found again by its input digest.
    $state = Join-Path $work 'state'
    $env:ARGOETL_DATA_HOME = Join-Path $work 'data'   # buildah storage of this file's own

    # What a running [powershell]'s stream holds so far. Enumerating a PSDataCollection waits until its producer ends,
    # so a test that looked at a running pipeline's output that way would hang; the indexer only reads what is there.
    function Get-Snapshot($Collection) { if ($Collection.Count) { $Collection[0..($Collection.Count - 1)] } }

    function Get-FreePort {
        $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start()
        try { $l.LocalEndpoint.Port } finally { $l.Stop() }
    }

    # The unseen project.
    $port = Get-FreePort
    $project = Join-Path $work 'hook-project'
    New-Item -ItemType Directory "$project/k8s", "$project/tool" -Force | Out-Null
    Copy-Item /bin/busybox "$project/tool/busybox"
    Set-Content "$project/tool/Dockerfile" "FROM scratch`nCOPY busybox /bin/busybox`n"
    $etlContext = Join-Path $RepoRoot 'src/ArgoEtl.Etl'
    Set-Content "$project/skaffold.yaml" @"
apiVersion: skaffold/v4beta13
kind: Config
metadata:
  name: hook-project
build:
  artifacts:
  - image: etl
    context: $etlContext
  - image: tool
    context: tool
manifests:
  rawYaml:
  - k8s/*.yaml
resourceSelector:
  allow:
  - groupKind: Sensor.argoproj.io
    image: [".*"]
"@
    Set-Content "$project/k8s/eventsource.yaml" @"
apiVersion: argoproj.io/v1alpha1
kind: EventSource
metadata:
  name: hook
spec:
  webhook:
    csv:
      port: "$port"
      endpoint: /csv
      method: POST
"@
    Set-Content "$project/k8s/sensor.yaml" @'
apiVersion: argoproj.io/v1alpha1
kind: Sensor
metadata:
  name: hook
spec:
  dependencies:
  - name: req
    eventSourceName: hook
    eventName: csv
    filters:
      data:
      - path: body.kind
        type: string
        value: [csv]
  triggers:
  - template:
      name: convert-and-report
      k8s:
        operation: create
        source:
          resource:
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata:
              generateName: hook-
            spec:
              entrypoint: main
              arguments:
                parameters:
                - name: file
                - name: label
              templates:
              - name: main
                steps:
                - - name: convert
                    template: convert
                    arguments:
                      parameters:
                      - name: file
                        value: "{{workflow.parameters.file}}"
                - - name: report
                    template: report
                    arguments:
                      parameters:
                      - name: rows
                        value: "{{steps.convert.outputs.parameters.rows}}"
                      - name: label
                        value: "{{workflow.parameters.label}}"
              - name: convert
                inputs:
                  parameters:
                  - name: file
                container:
                  image: etl
                  args: [--input, "{{inputs.parameters.file}}", --output, /tmp/out/rows.json, --format, json]
                outputs:
                  parameters:
                  - name: rows
                    valueFrom:
                      path: /tmp/out/rows.json
              - name: report
                inputs:
                  parameters:
                  - name: rows
                  - name: label
                container:
                  image: tool
                  command: [/bin/busybox, sh, -c]
                  args: ['printf "%s: %s rows" "{{inputs.parameters.label}}" "$(echo "$ROWS" | /bin/busybox wc -l)" > /tmp/summary.txt; echo reported']
                  env:
                  - name: ROWS
                    value: "{{inputs.parameters.rows}}"
                outputs:
                  parameters:
                  - name: summary
                    valueFrom:
                      path: /tmp/summary.txt
        parameters:
        - src:
            dependencyName: req
            dataKey: body.path
          dest: spec.arguments.parameters.0.value
        - src:
            dependencyName: req
            dataTemplate: "{{ .Input.body.label | upper }}"
          dest: spec.arguments.parameters.1.value
'@
    $scores = Join-Path $RepoRoot 'examples/data/scores.csv'
}

AfterAll {
    $env:ARGOETL_DATA_HOME = $null
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}

Describe 'Invoke-EtlPipeline on the examples' {
    It 'runs examples/minio-json: the CSV lands under input/, the step writes NDJSON to output/' {
        $run = Invoke-EtlPipeline -Path (Join-Path $RepoRoot 'examples/minio-json') -InputFile $scores -StateDirectory $state
        $run | Should -HaveCount 1
        $run | Should -BeOfType 'ArgoEtl.Core.Runs.EtlWorkflowRun'
        $run.Phase | Should -Be 'Succeeded'
        $run.Target | Should -Be 'Local'
        $run.Nodes[0].ExitCode | Should -Be 0
        Test-Path $run.Nodes[0].LogPath | Should -BeTrue
        Test-Path (Join-Path $state 'buckets/etl/input/scores.csv') | Should -BeTrue
        $rows = Get-Content (Join-Path $state 'buckets/etl/output/scores.json') | ForEach-Object { $_ | ConvertFrom-Json }
        $rows | Should -HaveCount 5
        $rows[1].name | Should -Be 'Lee, Jiwoo'
    }

    It 'runs examples/minio-parquet: the step writes Parquet under parquet-out/' {
        $run = Get-EtlProfile (Join-Path $RepoRoot 'examples/minio-parquet') -Name local | Invoke-EtlPipeline -InputFile $scores -StateDirectory $state
        $run.Phase | Should -Be 'Succeeded'
        $bytes = [IO.File]::ReadAllBytes((Join-Path $state 'buckets/etl/parquet-out/scores.parquet'))
        [Text.Encoding]::ASCII.GetString($bytes, 0, 4) | Should -Be 'PAR1'
        [Text.Encoding]::ASCII.GetString($bytes, $bytes.Length - 4, 4) | Should -Be 'PAR1'
    }
}

Describe 'Invoke-EtlPipeline on a project it has not seen' {
    It 'runs a webhook event through a data filter and a dataTemplate into a steps Workflow whose host and container steps pass outputs along' {
        $run = Invoke-EtlPipeline -Path $project -EventSource hook -EventName csv -Data @{ kind = 'csv'; path = $scores; label = 'exam' } -StateDirectory (Join-Path $work 'hook-state') -InformationVariable logs
        $run.Phase | Should -Be 'Succeeded' -Because ($run.Message + ' ' + ($run.Nodes | Out-String))
        $report = $run.Nodes | Where-Object Template -eq 'report'
        $report.Outputs['summary'] | Should -Be 'EXAM: 5 rows'
        ($run.Nodes | Where-Object Template -eq 'convert').Outputs['rows'] | Should -Match '"name":"Kim Minji"'
        (($logs | Where-Object { $_.Tags -contains 'log' }).MessageData -join "`n") | Should -Match ([regex]::Escape("[$($report.Name)] reported"))
    }

    It 'runs nothing when the data filter rejects the event, and -DryRun says which filter failed' {
        $runs = Invoke-EtlPipeline -Path $project -EventSource hook -EventName csv -Data @{ kind = 'xml'; path = $scores; label = 'x' } -StateDirectory (Join-Path $work 'hook-state') -WarningAction SilentlyContinue
        $runs | Should -BeNullOrEmpty
        $eval = Invoke-EtlPipeline -Path $project -EventSource hook -EventName csv -Data '{"kind":"xml","path":"/x.csv","label":"x"}' -DryRun -StateDirectory (Join-Path $work 'hook-state')
        $eval | Should -BeOfType 'ArgoEtl.Core.Targets.Local.Sensors.TriggerEvaluation'
        $eval.Fires | Should -BeFalse
        $eval.Dependencies[0].Passed | Should -BeFalse
        $eval.Dependencies[0].Filters.Filter | Should -Contain 'data[0]'
    }

    It 'shows the resolved Workflow with -DryRun when the filters pass' {
        $eval = Invoke-EtlPipeline -Path $project -EventSource hook -EventName csv -Data @{ kind = 'csv'; path = '/data/a.csv'; label = 'june' } -DryRun -StateDirectory (Join-Path $work 'hook-state')
        $eval.Fires | Should -BeTrue
        $eval.Resource['spec']['arguments']['parameters'][1]['value'].ToString() | Should -Be 'JUNE'
        $eval.Resource['spec']['arguments']['parameters'][0]['value'].ToString() | Should -Be '/data/a.csv'
    }

    It 'creates no run when a dataKey does not resolve, and the error names the trigger, the key and the Sensor''s file:line' {
        $err = $null
        $runs = Invoke-EtlPipeline -Path $project -EventSource hook -EventName csv -Data @{ kind = 'csv'; label = 'x' } -StateDirectory (Join-Path $work 'hook-state') -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $runs | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SensorParameterUnresolved*'
        $err[0].Exception.Message | Should -Match 'convert-and-report'
        $err[0].Exception.Message | Should -Match 'body\.path'
        $err[0].Exception.Message | Should -Match 'k8s[\\/]sensor\.yaml:\d+'
    }

    It 'marks the run Failed with the step''s exit code and log when a step fails' {
        $run = Invoke-EtlPipeline -Path $project -EventSource hook -EventName csv -Data @{ kind = 'csv'; path = (Join-Path $work 'missing.csv'); label = 'x' } -StateDirectory (Join-Path $work 'hook-state')
        $run.Phase | Should -Be 'Failed'
        $convert = $run.Nodes | Where-Object Template -eq 'convert'
        $convert.ExitCode | Should -Be 3
        Get-Content $convert.LogPath -Raw | Should -Match 'missing\.csv'
        $run.Nodes | Where-Object Template -eq 'report' | Should -BeNullOrEmpty
    }

    It 'refuses a field the local target does not implement before anything runs, naming it and its file:line' {
        $bad = Join-Path $work 'bad-project'
        Copy-Item $project $bad -Recurse
        (Get-Content "$bad/k8s/sensor.yaml" -Raw) -replace '              entrypoint: main', "              entrypoint: main`n              podSpecPatch: '{}'" | Set-Content "$bad/k8s/sensor.yaml"
        $err = $null
        Invoke-EtlPipeline -Path $bad -EventSource hook -EventName csv -Data @{ kind = 'csv'; path = $scores; label = 'x' } -StateDirectory (Join-Path $work 'bad-state') -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'LocalUnsupportedField*'
        $err[0].Exception.Message | Should -Match 'podSpecPatch'
        $err[0].Exception.Message | Should -Match 'sensor\.yaml:\d+'
    }
}

Describe 'Stopping a local run' {
    It 'kills a running step on Ctrl+C and leaves no process behind' {
        $sleepy = Join-Path $work 'sleepy'
        Copy-Item $project $sleepy -Recurse
        (Get-Content "$sleepy/k8s/sensor.yaml" -Raw) -replace "printf [^']*", 'exec /bin/busybox sleep 987' | Set-Content "$sleepy/k8s/sensor.yaml"
        $ps = [powershell]::Create()
        [void]$ps.AddScript("Import-Module '$ModulePath'; `$env:ARGOETL_DATA_HOME = '$env:ARGOETL_DATA_HOME'; Invoke-EtlPipeline -Path '$sleepy' -EventSource hook -EventName csv -Data @{ kind = 'csv'; path = '$scores'; label = 'x' } -StateDirectory '$work/sleepy-state'")
        $handle = $ps.BeginInvoke()
        try {
            $deadline = (Get-Date).AddSeconds(120)
            do { Start-Sleep -Milliseconds 300; $found = pgrep -f 'sleep 987' } until ($found -or (Get-Date) -gt $deadline -or $handle.IsCompleted)
            $found | Should -Not -BeNullOrEmpty -Because (Get-Snapshot $ps.Streams.Error | Out-String)
        }
        finally {
            $ps.Stop()
            $ps.Dispose()
        }

        pgrep -f 'sleep 987' | Should -BeNullOrEmpty
    }
}

Describe 'Start-EtlDev -Target Local' {
    It 'runs a Workflow for a file dropped into the store folder, and restarts on an edited manifest' {
        $dev = Join-Path $work 'dev-project'
        New-Item -ItemType Directory "$dev/k8s" -Force | Out-Null
        Copy-Item (Join-Path $RepoRoot 'examples/minio-json/k8s/*.yaml') "$dev/k8s/"
        (Get-Content (Join-Path $RepoRoot 'examples/minio-json/skaffold.yaml') -Raw) -replace 'context: \.\./\.\./src/ArgoEtl\.Etl', "context: $etlContext" | Set-Content "$dev/skaffold.yaml"
        $devState = Join-Path $work 'dev-state'
        $ps = [powershell]::Create()
        [void]$ps.AddScript("Import-Module '$ModulePath'; Start-EtlDev -Path '$dev' -Target Local -StateDirectory '$devState'")
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $none = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $none.Complete()   # a script's body runs once its input has ended
        $handle = $ps.BeginInvoke($none, $output)
        function Wait-Run([string] $Prefix) {
            $deadline = (Get-Date).AddSeconds(120)
            do {
                Start-Sleep -Milliseconds 300
                $run = Get-Snapshot $output | Where-Object { $_.PSObject.TypeNames -contains 'ArgoEtl.Core.Runs.EtlWorkflowRun' -and $_.Name -like "$Prefix*" } | Select-Object -First 1
            } until ($run -or (Get-Date) -gt $deadline -or $handle.IsCompleted)
            $run
        }
        try {
            # The bucket folder appears when the pipeline has started; a new folder under it is watched too.
            $bucket = Join-Path $devState 'buckets/etl'
            $deadline = (Get-Date).AddSeconds(120)
            while (-not (Test-Path $bucket) -and (Get-Date) -lt $deadline -and -not $handle.IsCompleted) { Start-Sleep -Milliseconds 300 }
            Start-Sleep -Seconds 1
            $inbox = New-Item -ItemType Directory (Join-Path $bucket 'input') -Force
            Copy-Item $scores (Join-Path $inbox 'first.csv')
            $first = Wait-Run 'minio-json-'
            $first.Phase | Should -Be 'Succeeded' -Because ((@(Get-Snapshot $ps.Streams.Error) + @(Get-Snapshot $output)) | Out-String)
            Test-Path (Join-Path $devState 'buckets/etl/output/first.json') | Should -BeTrue

            (Get-Content "$dev/k8s/sensor.yaml" -Raw) -replace 'generateName: minio-json-', 'generateName: edited-' | Set-Content "$dev/k8s/sensor.yaml"
            $deadline = (Get-Date).AddSeconds(60)
            do { Start-Sleep -Milliseconds 300 } until ((Get-Snapshot $output | Where-Object { $_.PSObject.TypeNames -contains 'ArgoEtl.Core.Kubernetes.AppliedObject' -and $_.Action -eq 'restarted' }) -or (Get-Date) -gt $deadline)
            Copy-Item $scores (Join-Path $inbox 'second.csv')
            $second = Wait-Run 'edited-'
            $second.Phase | Should -Be 'Succeeded'
        }
        finally {
            $ps.Stop()
            $ps.Dispose()
        }
    }
}
