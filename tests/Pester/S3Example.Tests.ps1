# examples/s3 through the built module: on the local target with nothing from AWS (the SNS envelope Invoke-EtlPipeline
# makes), and for real with a dev session that makes the AWS side itself: Start-EtlDev -Before creates the notification
# on the local AWS endpoint, an object put to s3rver goes through the bucket's notification, SNS's HTTP delivery and the
# subscribed sns webhook to the Sensor, whose step writes Parquet back to s3rver; Ctrl+C removes topic, entry and policies.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath
    $work = Join-Path ([IO.Path]::GetTempPath()) "argoetl-s3-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory $work | Out-Null
    $scores = Join-Path $RepoRoot 'examples/data/scores.csv'

    function Get-Snapshot($Collection) { if ($Collection.Count) { $Collection[0..($Collection.Count - 1)] } }

    function Get-FreePort {
        $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start()
        try { $l.LocalEndpoint.Port } finally { $l.Stop() }
    }

    # The example as it is, with the artifact's context made absolute and the webhook on a free port.
    function Copy-Example([string] $Name) {
        $copy = Join-Path $work $Name
        Copy-Item (Join-Path $RepoRoot 'examples/s3') $copy -Recurse
        (Get-Content "$copy/skaffold.yaml" -Raw) -replace 'context: \.\./\.\./src/ArgoEtl\.Etl', "context: $(Join-Path $RepoRoot 'src/ArgoEtl.Etl')" | Set-Content "$copy/skaffold.yaml"
        $port = Get-FreePort
        (Get-Content "$copy/k8s/eventsource.yaml" -Raw) -replace 'port: "12000"', "port: `"$port`"" | Set-Content "$copy/k8s/eventsource.yaml"
        $copy
    }

    $aws = [ArgoEtl.Testing.Substrates]::StartLocalAws()
    $awsUrl = $aws.Url
    # s3rver's key is a second user of the account, so one environment serves the step (s3rver) and the module (the endpoint).
    Invoke-RestMethod -Method Post "$awsUrl/_argoetl/keys/S3RVER?secret=S3RVER" | Out-Null
    Invoke-RestMethod -Method Post "$awsUrl/_argoetl/buckets/etl?region=us-east-1" | Out-Null
    Invoke-RestMethod -Method Post "$awsUrl/_argoetl/roles/etl-node-role" | Out-Null
    $s3 = [ArgoEtl.Testing.Substrates]::StartS3rver([uri]"$awsUrl/_argoetl/s3/events")
    (Invoke-S3rver $s3.Endpoint PUT 'etl').StatusCode | Should -Be 200
    $saved = @{}
    foreach ($name in 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL') { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    $env:AWS_ACCESS_KEY_ID = 'S3RVER'
    $env:AWS_SECRET_ACCESS_KEY = 'S3RVER'
    $env:AWS_REGION = 'us-east-1'
    $env:AWS_ENDPOINT_URL_S3 = $s3.Endpoint   # where the step (a host process) reads and writes
    $env:AWS_ENDPOINT_URL = $null

    function Get-AwsState { Invoke-RestMethod "$awsUrl/_argoetl/state" }

    function Start-Dev([string] $Project, [string] $Before) {
        $ps = [powershell]::Create()
        [void]$ps.AddScript(@"
Import-Module '$ModulePath'
`$awsUrl = '$awsUrl'
Start-EtlDev -Path '$Project' -Target Local -StateDirectory '$Project/.state' -Before { $Before } -Cleanup {
    param(`$session)
    Remove-EtlS3Notification -Project s3-etl -Bucket etl -RoleName etl-node-role -EndpointUrl `$awsUrl -Confirm:`$false
}
"@)
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $none = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $none.Complete()
        @{ Shell = $ps; Output = $output; Handle = $ps.BeginInvoke($none, $output) }
    }

    function Wait-Until([scriptblock] $Condition, [int] $Seconds = 120) {
        $deadline = (Get-Date).AddSeconds($Seconds)
        while (-not (& $Condition) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 300 }
        & $Condition
    }
}

AfterAll {
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    if ($s3) { $s3.Dispose() }
    if ($aws) { $aws.Dispose() }
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'examples/s3 on the local target' {
    It 'delivers the put object as an S3 record inside an SNS envelope to the Sensor, whose Workflow gets the envelope' {
        $copy = Copy-Example 'dry'
        $result = Invoke-EtlPipeline -Path $copy -InputFile $scores -Bucket etl -Key input/scores.csv -StateDirectory "$copy/.state" -DryRun
        $result.Fires | Should -BeTrue -Because ($result.Error | Out-String)
        # The Workflow's 'event' argument is the SNS envelope, whose Message is the S3 record as a JSON string.
        $workflow = $result.Resource.ToJsonString() | ConvertFrom-Json
        $envelope = $workflow.spec.arguments.parameters[0].value | ConvertFrom-Json
        $envelope.Type | Should -Be 'Notification'
        $envelope.Subject | Should -Be 'Amazon S3 Notification'
        $envelope.TopicArn | Should -Be 'arn:aws:sns:us-east-1:123456789012:s3-etl-s3-noti'
        $record = ($envelope.Message | ConvertFrom-Json).Records[0]
        $record.s3.bucket.name | Should -Be 'etl'
        $record.s3.object.key | Should -Be 'input/scores.csv'
    }
}

Describe 'examples/s3 in a dev session that makes the AWS side itself' {
    It 'runs put -> notification -> SNS -> webhook -> Sensor -> step -> Parquet, and Ctrl+C removes topic, entry, policies and subscription' {
        $copy = Copy-Example 'dev'
        $dev = Start-Dev $copy @'
param($session)
New-EtlS3Notification -Project s3-etl -Bucket etl -Prefix input/ -Suffix .csv -RoleName etl-node-role -EndpointUrl $awsUrl
@{ SNS_ENDPOINT = $awsUrl }
'@
        try {
            $subscribed = Wait-Until { (Get-AwsState).subscriptions | Where-Object { $_.confirmed } }
            $subscribed | Should -Not -BeNullOrEmpty -Because ((@(Get-Snapshot $dev.Shell.Streams.Error) + @(Get-Snapshot $dev.Output)) | Out-String)
            $subscribed.topicArn | Should -Be 'arn:aws:sns:us-east-1:123456789012:s3-etl-s3-noti'
            (Get-AwsState).roles.'etl-node-role' | Should -Be @('argoetl-s3-etl-s3', 'argoetl-s3-etl-sns')

            (Invoke-S3rver $s3.Endpoint PUT 'etl/input/scores.csv' ([IO.File]::ReadAllBytes($scores))).StatusCode | Should -Be 200
            $run = Wait-Until { Get-Snapshot $dev.Output | Where-Object { $_.PSObject.TypeNames -contains 'ArgoEtl.Core.Runs.EtlWorkflowRun' } | Select-Object -First 1 }
            $run.Phase | Should -Be 'Succeeded' -Because ((@(Get-Snapshot $dev.Shell.Streams.Error) + @(Get-Snapshot $dev.Shell.Streams.Information)) | Out-String)
            $parquet = Invoke-S3rver $s3.Endpoint GET 'etl/output/scores.parquet'
            $parquet.StatusCode | Should -Be 200
            [Text.Encoding]::ASCII.GetString($parquet.Content[0..3]) | Should -Be 'PAR1'
            ((Get-AwsState).deliveries | Where-Object type -eq 'Notification').status | Should -Contain 200
        }
        finally {
            $dev.Shell.Stop()   # what Ctrl+C does
            $dev.Shell.Dispose()
        }

        $after = Get-AwsState
        @($after.topics.PSObject.Properties).Count | Should -Be 0
        $after.notifications.etl | Should -Not -Match 's3-etl-s3-noti'
        @($after.roles.'etl-node-role').Count | Should -Be 0
        @($after.subscriptions).Count | Should -Be 0
    }

    It 'removes the notification when Ctrl+C comes while the -Before block is still running, after New-EtlS3Notification' {
        $copy = Copy-Example 'stopped'
        $dev = Start-Dev $copy @'
param($session)
New-EtlS3Notification -Project s3-etl -Bucket etl -Prefix input/ -Suffix .csv -RoleName etl-node-role -EndpointUrl $awsUrl
Start-Sleep -Seconds 600
'@
        try {
            $made = Wait-Until { @((Get-AwsState).roles.'etl-node-role').Count -eq 2 }
            $made | Should -BeTrue -Because ((Get-Snapshot $dev.Shell.Streams.Error) | Out-String)
            (Get-AwsState).topics.PSObject.Properties.Name | Should -Be 'arn:aws:sns:us-east-1:123456789012:s3-etl-s3-noti'
        }
        finally {
            $dev.Shell.Stop()
            $dev.Shell.Dispose()
        }

        $after = Get-AwsState
        @($after.topics.PSObject.Properties).Count | Should -Be 0
        $after.notifications.etl | Should -Not -Match 's3-etl-s3-noti'
        @($after.roles.'etl-node-role').Count | Should -Be 0
    }
}
