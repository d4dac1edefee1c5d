BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath
    Add-Type -Path $TestingDll
    $aws = [ArgoEtl.Testing.Substrates]::StartLocalAws()
    $secret = ConvertTo-SecureString ([ArgoEtl.Testing.LocalAws]::SecretAccessKey) -AsPlainText -Force
    $credential = [pscredential]::new([ArgoEtl.Testing.LocalAws]::AccessKeyId, $secret)
    $connection = @{ EndpointUrl = $aws.Url; Region = 'ap-northeast-2'; Credential = $credential }

    function Get-AwsState { Invoke-RestMethod "$($aws.Url)/_argoetl/state" }
    function Get-EntryIds([string] $Bucket) {
        $xml = [xml](Invoke-RestMethod "$($aws.Url)/_argoetl/notification/$Bucket").OuterXml
        @($xml.DocumentElement.ChildNodes | ForEach-Object { $_.Id }) | Sort-Object
    }

    Invoke-RestMethod -Method Post "$($aws.Url)/_argoetl/buckets/etl-landing?region=ap-northeast-2" | Out-Null
    Invoke-RestMethod -Method Post "$($aws.Url)/_argoetl/roles/eks-node-role" | Out-Null
    # Another tool's queue notification on the same bucket: it must survive everything below.
    Invoke-RestMethod -Method Put "$($aws.Url)/_argoetl/notification/etl-landing" -Body @'
<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><QueueConfiguration><Id>reports-queue</Id><Queue>arn:aws:sqs:ap-northeast-2:123456789012:reports</Queue><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>prefix</Name><Value>reports/</Value></FilterRule></S3Key></Filter></QueueConfiguration></NotificationConfiguration>
'@ | Out-Null
}

AfterAll {
    if ($aws) { $aws.Dispose() }
}

Describe 'New/Get/Remove-EtlS3Notification against the local AWS endpoint' {
    It 'changes nothing under -WhatIf and lists every call it would make' {
        $before = @((Get-AwsState).calls | Where-Object Mutating).Count
        # What-if lines go to the host, so run it in a child pwsh and read what it printed.
        $text = Invoke-FreshPwsh @"
Import-Module '$ModulePath'
`$cred = [pscredential]::new('$([ArgoEtl.Testing.LocalAws]::AccessKeyId)', (ConvertTo-SecureString '$([ArgoEtl.Testing.LocalAws]::SecretAccessKey)' -AsPlainText -Force))
New-EtlS3Notification -Project csv2json -Bucket etl-landing -Prefix input/ -Suffix .csv -NodeRoleName eks-node-role -EndpointUrl '$($aws.Url)' -Region ap-northeast-2 -Credential `$cred -WhatIf
"@ | Out-String
        $text | Should -Match 'SNS CreateTopic'
        $text | Should -Match 'PutBucketNotificationConfiguration'
        ($text | Select-String 'IAM PutRolePolicy' -AllMatches).Matches.Count | Should -Be 2
        @((Get-AwsState).calls | Where-Object Mutating).Count | Should -Be $before
        Get-EntryIds etl-landing | Should -Be @('reports-queue')
    }

    It 'creates the notification, keeps the other entry, and returns an object that pipes to Remove' {
        $n = New-EtlS3Notification -Project csv2json -Bucket etl-landing -Prefix input/ -Suffix .csv -NodeRoleName eks-node-role @connection
        $n | Should -BeOfType 'ArgoEtl.Core.Notifications.EtlS3Notification'
        $n.TopicArn | Should -Be 'arn:aws:sns:ap-northeast-2:123456789012:csv2json-s3-noti'
        $n.Change | Should -Be 'Created'
        Get-EntryIds etl-landing | Should -Be @('csv2json-s3-noti', 'reports-queue')
        (Get-AwsState).roles.'eks-node-role' | Should -Be @('argoetl-csv2json-s3', 'argoetl-csv2json-sns')
        ($n | Format-Table | Out-String) | Should -Match 'input/\*\.csv'
    }

    It 'is idempotent: a second New reports Unchanged and makes no change' {
        $before = @((Get-AwsState).calls | Where-Object Mutating).Count
        (New-EtlS3Notification csv2json etl-landing -Prefix input/ -Suffix .csv -RoleName eks-node-role @connection).Change | Should -Be 'Unchanged'
        @((Get-AwsState).calls | Where-Object Mutating).Count | Should -Be $before
    }

    It 'reads it back with Get and removes exactly its own parts through the pipeline' {
        $found = Get-EtlS3Notification -Bucket etl-landing -RoleName eks-node-role @connection
        $found.Project | Should -Be 'csv2json'
        $found.Drift | Should -BeNullOrEmpty

        $found | Remove-EtlS3Notification @connection -Confirm:$false
        Get-EntryIds etl-landing | Should -Be @('reports-queue')
        (Get-AwsState).topics.PSObject.Properties.Name | Should -BeNullOrEmpty
        (Get-AwsState).roles.'eks-node-role' | Should -BeNullOrEmpty

        # Removing again is not an error.
        { Remove-EtlS3Notification csv2json etl-landing -RoleName eks-node-role @connection -Confirm:$false -ErrorAction Stop } | Should -Not -Throw
    }

    It 'fails clearly on a missing bucket, creating nothing, and never prints the secret' {
        $before = @((Get-AwsState).calls | Where-Object Mutating).Count
        $err = $null
        New-EtlS3Notification -Project x -Bucket no-such-bucket @connection -ErrorVariable err -ErrorAction SilentlyContinue -Verbose 4>&1 | Out-Null
        $err[0].FullyQualifiedErrorId | Should -BeLike 'S3BucketNotFound*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        @((Get-AwsState).calls | Where-Object Mutating).Count | Should -Be $before
        ($err | Out-String) | Should -Not -Match ([regex]::Escape([ArgoEtl.Testing.LocalAws]::SecretAccessKey))
    }

    It 'reports a wrong secret as rejected credentials' {
        $bad = [pscredential]::new([ArgoEtl.Testing.LocalAws]::AccessKeyId, (ConvertTo-SecureString 'not-the-secret' -AsPlainText -Force))
        $err = $null
        Get-EtlS3Notification -Bucket etl-landing -EndpointUrl $aws.Url -Region ap-northeast-2 -Credential $bad -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AwsCredentialsRejected*'
        $err[0].Exception.Message | Should -Match 'SignatureDoesNotMatch'
        ($err | Out-String) | Should -Not -Match 'not-the-secret'
    }
}
