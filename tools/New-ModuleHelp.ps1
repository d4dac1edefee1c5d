<#
.SYNOPSIS
    Writes MAML help for the staged module from the cmdlets' XML documentation comments.
.DESCRIPTION
    The C# XML docs are the single source of help text: <summary><para type="synopsis"> and <para type="description">
    on each cmdlet class, <example><code>/<para> blocks, and <para type="description"> on each parameter. Parameter
    names, types, sets, positions and pipeline binding come from the imported cmdlets themselves, so they cannot drift.
#>
param([Parameter(Mandatory)][string] $ModulePath)
$ErrorActionPreference = 'Stop'

$docs = [xml](Get-Content (Join-Path $ModulePath 'bin/ArgoEtl.PowerShell.xml') -Raw)
$module = Import-Module (Join-Path $ModulePath 'ArgoEtl.psd1') -PassThru -Force
$members = @{}
foreach ($m in $docs.doc.members.member) { $members[$m.name] = $m }

function Text($node) { if ($null -eq $node) { '' } else { ($node.InnerText -replace '\s+', ' ').Trim() } }
function Esc([string] $s) { [System.Security.SecurityElement]::Escape($s) }

$sb = [System.Text.StringBuilder]::new()
[void]$sb.AppendLine('<?xml version="1.0" encoding="utf-8"?>')
[void]$sb.AppendLine('<helpItems schema="maml" xmlns="http://msh" xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10">')
foreach ($cmd in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
    $type = $cmd.ImplementingType
    $doc = $members["T:$($type.FullName)"]
    if (-not $doc) { throw "$($cmd.Name): no XML documentation on $($type.FullName)." }
    $synopsis = Text ($doc.summary.para | Where-Object type -eq 'synopsis')
    $description = Text ($doc.summary.para | Where-Object type -eq 'description')
    $verb, $noun = $cmd.Name -split '-', 2
    [void]$sb.AppendLine("<command:command><command:details><command:name>$($cmd.Name)</command:name><command:verb>$verb</command:verb><command:noun>$noun</command:noun>")
    [void]$sb.AppendLine("<maml:description><maml:para>$(Esc $synopsis)</maml:para></maml:description></command:details>")
    [void]$sb.AppendLine("<maml:description><maml:para>$(Esc $description)</maml:para></maml:description>")

    $common = [System.Management.Automation.Internal.CommonParameters].GetProperties().Name + 'WhatIf', 'Confirm'
    $paramDocs = @{}
    foreach ($p in $cmd.Parameters.Values | Where-Object Name -notin $common) {
        # Inherited parameters (e.g. -Region from AwsCmdlet) are documented on the class that declares them.
        # Bundled parameters (ParameterBundle: -Region, -KubeContext, ...) are dynamic: their docs are on the bundle's property.
        $property = $type.GetProperty($p.Name)
        $pdoc = if ($property) { $members["P:$($property.DeclaringType.FullName).$($p.Name)"] } else {
            $members.Values | Where-Object { $_.name -like "P:ArgoEtl.PowerShell.Infrastructure.*Parameters.$($p.Name)" } | Select-Object -First 1
        }
        $text = Text ($pdoc.summary.para | Where-Object type -eq 'description')
        if (-not $text) { $text = Text $pdoc.summary }
        if (-not $text) { throw "$($cmd.Name) -$($p.Name): no parameter description in the XML docs." }
        $paramDocs[$p.Name] = $text
    }

    [void]$sb.AppendLine('<command:syntax>')
    foreach ($set in $cmd.ParameterSets) {
        [void]$sb.AppendLine("<command:syntaxItem><maml:name>$($cmd.Name)</maml:name>")
        foreach ($p in $set.Parameters | Where-Object Name -notin $common) {
            $pos = if ($p.Position -ge 0) { $p.Position } else { 'named' }
            [void]$sb.AppendLine("<command:parameter required=`"$($p.IsMandatory.ToString().ToLower())`" position=`"$pos`"><maml:name>$($p.Name)</maml:name><command:parameterValue required=`"true`">$(Esc $p.ParameterType.Name)</command:parameterValue></command:parameter>")
        }
        [void]$sb.AppendLine('</command:syntaxItem>')
    }
    [void]$sb.AppendLine('</command:syntax><command:parameters>')
    foreach ($name in $paramDocs.Keys | Sort-Object) {
        $p = $cmd.Parameters[$name]
        $attrs = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
        $required = [bool]($attrs | Where-Object Mandatory)
        $pipeline = @(if ($attrs | Where-Object ValueFromPipeline) { 'ByValue' }; if ($attrs | Where-Object ValueFromPipelineByPropertyName) { 'ByPropertyName' }) -join ', '
        $position = ($attrs | Where-Object { $_.Position -ge 0 } | Select-Object -First 1).Position
        if ($null -eq $position) { $position = 'named' }
        [void]$sb.AppendLine("<command:parameter required=`"$($required.ToString().ToLower())`" pipelineInput=`"$(if ($pipeline) { "True ($pipeline)" } else { 'False' })`" position=`"$position`">")
        [void]$sb.AppendLine("<maml:name>$name</maml:name><maml:description><maml:para>$(Esc $paramDocs[$name])</maml:para></maml:description>")
        [void]$sb.AppendLine("<command:parameterValue required=`"true`">$(Esc $p.ParameterType.Name)</command:parameterValue><dev:type><maml:name>$(Esc $p.ParameterType.FullName)</maml:name></dev:type></command:parameter>")
    }
    [void]$sb.AppendLine('</command:parameters><command:examples>')
    $i = 0
    foreach ($ex in $doc.example) {
        $i++
        [void]$sb.AppendLine("<command:example><maml:title>-------------------------- Example $i --------------------------</maml:title><dev:code>$(Esc $ex.code.Trim())</dev:code><dev:remarks><maml:para>$(Esc (Text $ex.para))</maml:para></dev:remarks></command:example>")
    }
    if ($i -eq 0) { throw "$($cmd.Name): no <example> in the XML docs." }
    [void]$sb.AppendLine('</command:examples></command:command>')
}
[void]$sb.AppendLine('</helpItems>')

# Cmdlets imported from an assembly look for help beside that assembly.
$helpDir = Join-Path $ModulePath 'bin/en-US'
New-Item -ItemType Directory $helpDir -Force | Out-Null
Set-Content -Path (Join-Path $helpDir 'ArgoEtl.PowerShell.dll-Help.xml') -Value $sb.ToString() -Encoding utf8NoBOM

# about_ArgoEtl_Errors: generated from the core's one list of error codes (ArgoEtl.EtlErrors), so the topic and the
# codes the module throws cannot drift. The list lives in the module's own load context, not in PowerShell's.
$alc = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command Invoke-EtlTransform).ImplementingType.Assembly)
$catalog = $alc.LoadFromAssemblyName([System.Reflection.AssemblyName]::new('ArgoEtl.Etl')).GetType('ArgoEtl.EtlErrors', $true)
function Wrap([string] $text, [int] $indent) {
    $pad = ' ' * $indent; $line = ''
    foreach ($word in $text -split ' ') {
        if ($line.Length -gt 0 -and $pad.Length + $line.Length + 1 + $word.Length -gt 80) { "$pad$line"; $line = $word }
        elseif ($line.Length -eq 0) { $line = $word }
        else { $line += " $word" }
    }
    if ($line) { "$pad$line" }
}
$about = [System.Collections.Generic.List[string]]::new()
$about.AddRange([string[]]@(
    'TOPIC', '    about_ArgoEtl_Errors', '',
    'SHORT DESCRIPTION', '    The error codes ArgoEtl reports: what each one means and what to do about it.', '',
    'LONG DESCRIPTION'))
$about.AddRange([string[]]@(Wrap ('Every error an ArgoEtl cmdlet writes is an ErrorRecord whose FullyQualifiedErrorId starts with one of the codes below (the rest names the cmdlet). ' +
    'ErrorDetails.RecommendedAction says what to do in that case, CategoryInfo.Category follows the kind, and TargetObject is what the error is about (a file:line, a URI, a name). ' +
    'argoetl-etl prints the same codes. Codes are stable: match on them in scripts, for example') 4))
$about.AddRange([string[]]@('', "    try { Invoke-EtlTransform ./in.csv -ErrorAction Stop }", "    catch { if (`$_.FullyQualifiedErrorId -like 'CsvBadValue,*') { ... } }", '', 'ERROR CODES'))
foreach ($e in $catalog::All) {
    $about.Add('')
    $about.Add("    $($e.Code) ($($e.Kind))")
    $about.AddRange([string[]]@(Wrap $e.Meaning 8))
    $about.AddRange([string[]]@(Wrap "What to do: $($e.WhatToDo)" 8))
}
$about.AddRange([string[]]@('', 'SEE ALSO', '    Get-Help <cmdlet> -Full', '    $Error[0] | Format-List * -Force', ''))
$aboutDir = Join-Path $ModulePath 'en-US'
New-Item -ItemType Directory $aboutDir -Force | Out-Null
Set-Content -Path (Join-Path $aboutDir 'about_ArgoEtl_Errors.help.txt') -Value ($about -join [Environment]::NewLine) -Encoding utf8NoBOM
