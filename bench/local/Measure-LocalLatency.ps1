<#
.SYNOPSIS
    By hand, not in CI: how long the local target takes from an object put to the step's process start, on the host
    fast path (a .NET artifact) and for a buildah container step whose image already exists.
.DESCRIPTION
    Starts Start-EtlDev -Target Local on a generated project (a minio EventSource, a Sensor, a one-step Workflow), puts
    a small CSV through the embedded store's S3 API (the AWS CLI v2), and reads from the run's files when the object
    became visible (its mtime: the store renames it into place) and when the step's process wrote its first line
    (the step prints the time as its first act). Prints one line per repetition and the median.
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/local/Measure-LocalLatency.ps1 -ModulePath ./out/ArgoEtl/0.1.0/ArgoEtl.psd1 -Repeat 10
#>
param(
    [Parameter(Mandatory)][string] $ModulePath,
    [int] $Repeat = 10,
    [ValidateSet('Host', 'Container')][string] $Step = 'Host'
)
$ErrorActionPreference = 'Stop'
$repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$work = Join-Path ([IO.Path]::GetTempPath()) "argoetl-latency-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
New-Item -ItemType Directory "$work/project/k8s", "$work/project/tool", "$work/project/stamp" -Force | Out-Null
$env:ARGOETL_DATA_HOME = Join-Path $work 'data'

# The step: prints the wall clock (Unix ms) first thing. Host: a tiny .NET program; container: busybox date.
if ($Step -eq 'Host') {
    Set-Content "$work/project/stamp/stamp.csproj" '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><TieredPGO>false</TieredPGO></PropertyGroup></Project>'
    Set-Content "$work/project/stamp/Program.cs" 'System.Console.WriteLine("STAMP " + System.DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());'
    $image = 'stamp'; $context = 'stamp'; $command = ''
} else {
    Copy-Item /bin/busybox "$work/project/tool/busybox"
    Set-Content "$work/project/tool/Dockerfile" "FROM scratch`nCOPY busybox /bin/busybox`n"
    $image = 'tool'; $context = 'tool'
    # busybox date has no milliseconds: the step prints one line and ends, so its log's mtime is when it printed.
    $command = "                  command: [/bin/busybox, sh, -c, 'echo STAMP']"
}
Set-Content "$work/project/skaffold.yaml" "apiVersion: skaffold/v4beta13`nkind: Config`nbuild:`n  artifacts:`n  - image: $image`n    context: $context`nmanifests:`n  rawYaml:`n  - k8s/*.yaml`nresourceSelector:`n  allow:`n  - groupKind: Sensor.argoproj.io`n    image: ['.*']`n"
Set-Content "$work/project/k8s/es.yaml" "apiVersion: argoproj.io/v1alpha1`nkind: EventSource`nmetadata:`n  name: put`nspec:`n  minio:`n    put:`n      bucket: {name: etl}`n      endpoint: minio:9000`n      insecure: true`n      events: ['s3:ObjectCreated:*']`n      accessKey: {name: minio, key: root-user}`n      secretKey: {name: minio, key: root-password}`n"
Set-Content "$work/project/k8s/sensor.yaml" @"
apiVersion: argoproj.io/v1alpha1
kind: Sensor
metadata:
  name: put
spec:
  dependencies:
  - name: p
    eventSourceName: put
    eventName: put
  triggers:
  - template:
      name: run
      k8s:
        operation: create
        source:
          resource:
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata:
              generateName: lat-
            spec:
              entrypoint: s
              templates:
              - name: s
                container:
                  image: $image
$command
"@

$state = Join-Path $work 'state'
$ps = [powershell]::Create()
[void]$ps.AddScript("Import-Module '$ModulePath'; `$env:ARGOETL_DATA_HOME = '$env:ARGOETL_DATA_HOME'; Start-EtlDev -Path '$work/project' -Target Local -StateDirectory '$state' -Verbose")
$handle = $ps.BeginInvoke()
try {
    $creds = $null
    $deadline = (Get-Date).AddMinutes(3)
    while (-not (Test-Path "$state/store-endpoint") -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 200 }
    $creds = Get-Content "$state/secrets/object-store.json" -Raw | ConvertFrom-Json
    Set-Content "$work/in.csv" "a,b`n1,2"
    $latencies = foreach ($i in 1..$Repeat) {
        $before = @(Get-ChildItem "$state/runs" -Directory -ErrorAction Ignore).Count
        Copy-Item "$work/in.csv" "$work/drop-$i.csv"
        # A put through the store's S3 API: written beside, renamed into place (the object's mtime is when it became visible).
        $env:AWS_ACCESS_KEY_ID = $creds.accessKeyId; $env:AWS_SECRET_ACCESS_KEY = $creds.secretAccessKey; $env:AWS_DEFAULT_REGION = 'us-east-1'
        $url = (Get-Content "$state/store-endpoint" -TotalCount 1).Trim()
        /usr/bin/aws --endpoint-url $url s3 cp "$work/drop-$i.csv" "s3://etl/in/$i.csv" --only-show-errors
        $deadline = (Get-Date).AddSeconds(60)
        do { Start-Sleep -Milliseconds 100; $runs = @(Get-ChildItem "$state/runs" -Directory -ErrorAction Ignore) } until ($runs.Count -gt $before -and (Get-ChildItem $runs[-1] -Recurse -Filter main.log | Select-String 'STAMP') -or (Get-Date) -gt $deadline)
        $log = Get-ChildItem ($runs | Sort-Object LastWriteTime)[-1] -Recurse -Filter main.log | Select-Object -First 1
        $stamp = if ($Step -eq 'Host') { [long]((@(Get-Content $log.FullName) -match 'STAMP')[0] -replace '.*STAMP ', '') } else { [DateTimeOffset]::new($log.LastWriteTimeUtc).ToUnixTimeMilliseconds() }
        $visible = [DateTimeOffset]::new((Get-Item "$state/buckets/etl/in/$i.csv").LastWriteTimeUtc).ToUnixTimeMilliseconds()
        $ms = $stamp - $visible
        "put $i -> step's first line: $ms ms"
        $ms
    }
    $sorted = @($latencies | Where-Object { $_ -is [long] } | Sort-Object)
    $sorted | ForEach-Object { "  $_ ms" }
    "median over $($sorted.Count): $($sorted[[int][math]::Floor($sorted.Count / 2)]) ms ($Step step)"
}
finally {
    $ps.Stop()
    $ps.Streams.Error | ForEach-Object { Write-Warning "Start-EtlDev: $_" }
    if ($env:BENCH_DEBUG) { $ps.Streams.Verbose | ForEach-Object { "V: $_" } }
    $ps.Dispose()
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}
