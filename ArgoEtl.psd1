@{
    RootModule           = 'ArgoEtl.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0b3f0e-6a59-4c0e-9a47-3e2a1c7d9b21'
    Author               = 'ArgoEtl contributors'
    CompanyName          = 'ArgoEtl'
    Copyright            = '(c) ArgoEtl contributors. MIT License.'
    Description          = 'One dev loop for ETL pipelines on Argo Events + Argo Workflows: the CSV to JSON/Parquet engine, and the cmdlets that build, render, deploy and clean up around it.'
    PowerShellVersion    = '7.6'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('ArgoEtl.Format.ps1xml')
    # A cmdlet is listed here only when it works end to end; nothing is exported as a stub.
    CmdletsToExport      = @(
        'Invoke-EtlTransform'
        'New-EtlS3Notification'
        'Get-EtlS3Notification'
        'Remove-EtlS3Notification'
        'Get-EtlProfile'
        'Export-EtlManifest'
        'Test-EtlProject'
        'Install-EtlInfra'
        'Uninstall-EtlInfra'
        'Get-EtlInfra'
        'Get-EtlInfraLeftover'
        'Remove-EtlInfraLeftover'
        'Get-EtlWorkflowToken'
        'Publish-EtlImage'
        'Start-EtlDev'
        'Remove-EtlDeployment'
        'Invoke-EtlPipeline'
        'Wait-EtlIngress'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Argo', 'ArgoWorkflows', 'ArgoEvents', 'Kubernetes', 'ETL', 'Parquet', 'CSV', 'S3', 'MinIO', 'Skaffold', 'Linux', 'PSEdition_Core')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/argoetl/argoetl'
            ReleaseNotes = 'Invoke-EtlTransform: streaming CSV to NDJSON/Parquet over files, S3/MinIO and FTP.'
        }
    }
}
