# The guard for "it passed on my machine": every external program the tests start — from C# (xUnit, the harness and
# the module's own tool calls) or from these Pester files — must be installed by the substrate installer, or be one of
# the few things every CI machine has. A machine that kept an earlier session's installs would otherwise hide a
# missing install step until CI ran on a new one.
BeforeDiscovery {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $notSource = '[\\/](bin|obj|node_modules)[\\/]'   # build outputs and installed packages are not ours

    # C#: the ways this code base starts a process.
    $patterns = @(
        'ProcessStartInfo\(\s*"([^"]+)"'
        'ToolProcess\.(?:RunAsync|Answers)\(\s*"([^"]+)"'
        '(?<![Kk]ubectl\.)\bRun(?:Async)?\(\s*"([a-z][a-z0-9._-]*)"'   # not the tests' kubectl wrapper, whose first argument is a verb
        'FileName\s*=\s*"([^"]+)"'
        'StartProcess\(\s*"([^"]+)"'
        '"exec\s+([^\s''"]+)'   # a program run through /bin/sh -c "exec ..."
        'Substrates\.(Aws)Cli\(\)'    # the harness's path to Debian's AWS CLI
        '"(?:/usr)?/bin/(busybox)"'      # copied into the FROM-scratch images container steps run
    )
    $fromCs = foreach ($file in Get-ChildItem (Join-Path $root 'src'), (Join-Path $root 'tests') -Recurse -Filter *.cs | Where-Object FullName -NotMatch $notSource) {
        $text = Get-Content $file.FullName -Raw
        foreach ($pattern in $patterns) {
            foreach ($m in [regex]::Matches($text, $pattern)) {
                [pscustomobject]@{ Program = [IO.Path]::GetFileName($m.Groups[1].Value).ToLowerInvariant(); Where = $file.FullName.Substring($root.Length + 1) }
            }
        }
    }

    # PowerShell: command names that are neither PowerShell commands nor functions the test files define.
    $pester = Get-Module Pester
    $ps1 = Get-ChildItem (Join-Path $root 'tests'), (Join-Path $root 'build.ps1') -Recurse -Include *.ps1 | Where-Object FullName -NotMatch $notSource
    $asts = foreach ($file in $ps1) { [pscustomobject]@{ File = $file; Ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$null, [ref]$null) } }
    $defined = @($asts | ForEach-Object { $_.Ast.FindAll({ $args[0] -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true).Name })
    $fromPs = foreach ($a in $asts) {
        foreach ($command in $a.Ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)) {
            $name = $command.GetCommandName()
            if (-not $name -or $name -in $defined -or $name -match '^\$|^\.') { continue }
            if (Get-Command $name -CommandType Cmdlet, Function, Alias -ErrorAction Ignore) { continue }
            if ($name -match '^[A-Z][a-z]+-[A-Z]') { continue }   # Verb-Noun: Pester's or the module's own commands
            [pscustomobject]@{ Program = [IO.Path]::GetFileName($name); Where = $a.File.FullName.Substring($root.Length + 1) }
        }
    }

    $script:Started = @($fromCs) + @($fromPs) | Group-Object Program | ForEach-Object { @{ Program = $_.Name; Where = ($_.Group.Where | Select-Object -Unique) -join ', ' } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    # The installer's own list: what it installs (program, package), and what it deliberately leaves out (program, '-',
    # why): tools the module probes and reports cleanly when absent, which no test needs (Substrates.ProbedNotInstalled).
    $installed = @{}
    $optional = @()
    foreach ($line in dotnet $TestingDll requirements) {
        $p = $line -split "`t"
        if ($p[1] -eq '-') { $optional += $p[0] } else { $installed[$p[0]] = $p[1] }
    }

    # What every CI machine has before the installer runs: the .NET SDK, git, node/npm, and Debian's base system.
    $base = 'dotnet', 'git', 'node', 'npm', 'sh', 'bash', 'id', 'useradd', 'usermod', 'userdel', 'chpasswd', 'chown', 'apt-get', 'kill', 'env', 'true'
}

Describe 'The substrate installer' {
    It 'installs <Program> (started by <Where>) or it is on every CI machine' -ForEach $Started {
        ($Program -in $base) -or ($Program -in $optional) -or $installed.ContainsKey($Program) | Should -BeTrue -Because "$Program is started by $Where; add it to Substrates.Requirements"
    }

    It 'leaves every program it promises runnable' {
        $missing = $installed.Keys | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) }
        $missing | Should -BeNullOrEmpty
    }

    It 'promises nothing the tests never start' {
        $unused = $installed.Keys | Where-Object { $_ -notin $Started.Program }
        $unused | Should -BeNullOrEmpty -Because 'a requirement nobody starts hides which tests need what'
    }
}
