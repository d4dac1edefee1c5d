BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath
    $s3 = Start-TestS3rver
    $env:AWS_ACCESS_KEY_ID = 'S3RVER'
    $env:AWS_SECRET_ACCESS_KEY = 'S3RVER'
}

AfterAll {
    if ($s3) { $s3.Dispose() }
}

Describe 'Invoke-EtlTransform' {
    BeforeEach {
        $work = Join-Path ([IO.Path]::GetTempPath()) ("argoetl-pester-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $work | Out-Null
        Set-Content (Join-Path $work 'a.csv') "no,name,score`n1,Kim,87`n2,Lee,92`n" -NoNewline
        Set-Content (Join-Path $work 'b.csv') "no,name,score`n3,Park,70`n" -NoNewline
    }

    AfterEach { Remove-Item $work -Recurse -Force -ErrorAction Ignore }

    It 'converts files piped from Get-ChildItem and returns one result each' {
        $results = Get-ChildItem (Join-Path $work '*.csv') | Invoke-EtlTransform -Format Json -Destination "$work/out/"
        $results.Count | Should -Be 2
        $results[0] | Should -BeOfType 'ArgoEtl.Etl.Transform.EtlResult'
        ($results | Measure-Object Rows -Sum).Sum | Should -Be 3
        Get-Content "$work/out/a.json" | ConvertFrom-Json | Select-Object -ExpandProperty name | Should -Be @('Kim', 'Lee')
    }

    It 'writes Parquet with the given schema and reports it' {
        $r = Invoke-EtlTransform -Path (Join-Path $work 'a.csv') -Destination "$work/a.parquet" -Schema 'no:int64,name:string,score:int32'
        $r.Format | Should -Be 'Parquet'
        $r.Schema | Should -Be 'no:int64,name:string,score:int32'
        $r.SchemaInferred | Should -BeFalse
        [IO.File]::ReadAllBytes("$work/a.parquet")[0..3] | Should -Be ([byte[]][char[]]'PAR1')
    }

    It 'gives the same NDJSON with one worker and with four (-ThrottleLimit), over many chunks' {
        # About 1.5 MB: several chunks, so four workers each convert some and the writer puts them back in order.
        $lines = [Collections.Generic.List[string]]::new()
        $lines.Add('no,name,score')
        foreach ($i in 1..60000) { $lines.Add("$i,""name, $i"",$($i % 101)") }
        [IO.File]::WriteAllLines((Join-Path $work 'big.csv'), $lines)
        $one = Invoke-EtlTransform -Path (Join-Path $work 'big.csv') -Destination "$work/one.json" -Format Json -ThrottleLimit 1
        $four = Invoke-EtlTransform -Path (Join-Path $work 'big.csv') -Destination "$work/four.json" -Format Json -ThrottleLimit 4
        $one.Rows | Should -Be 60000
        $four.Rows | Should -Be 60000
        (Get-FileHash "$work/four.json").Hash | Should -Be (Get-FileHash "$work/one.json").Hash
        (Get-Content "$work/four.json" -Tail 1 | ConvertFrom-Json).name | Should -Be 'name, 60000'
    }

    It 'changes nothing under -WhatIf' {
        Invoke-EtlTransform -Path (Join-Path $work 'a.csv') -Format Parquet -WhatIf | Should -BeNullOrEmpty
        Get-ChildItem $work -Filter '*.parquet' | Should -BeNullOrEmpty
    }

    It 'reports a bad row with a stable ErrorId and leaves no output' {
        Set-Content (Join-Path $work 'bad.csv') "no,score`n1,10`n2,oops`n" -NoNewline
        { Invoke-EtlTransform -Path (Join-Path $work 'bad.csv') -Schema 'no:int32,score:int32' -ErrorAction Stop } |
            Should -Throw -ErrorId 'CsvBadValue*'
        Invoke-EtlTransform -Path (Join-Path $work 'bad.csv') -Schema 'no:int32,score:int32' -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].Exception.Message | Should -Match 'line 3'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $err[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        Get-ChildItem $work -Filter '*.json' | Should -BeNullOrEmpty
        Get-ChildItem $work -Force -Filter '.argoetl-*' | Should -BeNullOrEmpty
    }

    It 'skips bad rows to a rejects file with a warning' {
        Set-Content (Join-Path $work 'bad.csv') "no,score`n1,10`n2,oops`n" -NoNewline
        $r = Invoke-EtlTransform -Path (Join-Path $work 'bad.csv') -Schema 'no:int32,score:int32' -BadRow Skip -WarningVariable warn -WarningAction SilentlyContinue
        $r.Rows | Should -Be 1
        $r.RejectedRows | Should -Be 1
        $warn | Should -Not -BeNullOrEmpty
        (Get-Content $r.Rejects | ConvertFrom-Json).line | Should -Be 3
    }

    It 'refuses to write a second input over a one-file -Destination' {
        $results = Get-ChildItem (Join-Path $work '*.csv') | Invoke-EtlTransform -Destination "$work/one.json" -ErrorAction SilentlyContinue -ErrorVariable err
        @($results).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DestinationNotFolder*'
        Get-Content "$work/one.json" | ConvertFrom-Json | Select-Object -ExpandProperty name | Should -Be @('Kim', 'Lee')
    }

    It 'reports a missing input as ObjectNotFound and goes on with the others' {
        $results = Invoke-EtlTransform -Path (Join-Path $work 'missing.csv'), (Join-Path $work 'a.csv') -ErrorAction SilentlyContinue -ErrorVariable err
        @($results).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InputNotFound*'
    }

    It 'converts an S3 object named by a MinIO event to the output/ prefix' {
        (Invoke-S3rver $s3.Endpoint PUT 'etl' $null).StatusCode | Should -Be 200
        (Invoke-S3rver $s3.Endpoint PUT 'etl/input/scores.csv' "no,name`n1,a`n").StatusCode | Should -Be 200
        $event = '{"Records":[{"s3":{"bucket":{"name":"etl"},"object":{"key":"input/scores.csv"}}}]}'

        $r = Invoke-EtlTransform -Event $event -Format Json -EndpointUrl $s3.Endpoint

        $r.Output | Should -Be 's3://etl/output/scores.json'
        $got = Invoke-S3rver $s3.Endpoint GET 'etl/output/scores.json' $null
        [Text.Encoding]::UTF8.GetString($got.Content) | Should -Be "{`"no`":1,`"name`":`"a`"}`n"
    }
}
