# Bootstrap of the triton-mesos build, laid out like NUKE's build.ps1: `.\build.ps1 <Target> [--parameter value]...`.
# It uses the installed .NET SDK (10 or newer) and never downloads one. The targets live in build.cs.
[CmdletBinding()]
Param(
    [Parameter(Position=0,Mandatory=$false,ValueFromRemainingArguments=$true)]
    [string[]]$BuildArguments
)

Write-Output "PowerShell $($PSVersionTable.PSEdition) version $($PSVersionTable.PSVersion)"

Set-StrictMode -Version 2.0; $ErrorActionPreference = "Stop"; $ConfirmPreference = "None"; trap { Write-Error $_ -ErrorAction Continue; exit 1 }
$PSScriptRoot = Split-Path $MyInvocation.MyCommand.Path -Parent

###########################################################################
# CONFIGURATION
###########################################################################

$BuildFile = "$PSScriptRoot\build.cs"
$TempDirectory = "$PSScriptRoot\.nuke\temp"
$BuildOutput = "$TempDirectory\build-bin"

$env:DOTNET_CLI_TELEMETRY_OPTOUT = 1
$env:DOTNET_NOLOGO = 1
$env:NUKE_TELEMETRY_OPTOUT = 1

###########################################################################
# EXECUTION
###########################################################################

function ExecSafe([scriptblock] $cmd) {
    & $cmd
    if ($LASTEXITCODE) { exit $LASTEXITCODE }
}

if ($null -ne (Get-Command "dotnet" -ErrorAction SilentlyContinue) -and `
     $(dotnet --version) -and $LASTEXITCODE -eq 0) {
    $env:DOTNET_EXE = (Get-Command "dotnet").Path
}
else {
    Write-Error "No working 'dotnet' on PATH. Install the .NET 10 SDK and retry; this build does not download an SDK."
    exit 1
}

Write-Output "Microsoft (R) .NET SDK version $(& $env:DOTNET_EXE --version)"

$env:MSBUILDDISABLENODEREUSE = 1
ExecSafe { & $env:DOTNET_EXE build $BuildFile -o $BuildOutput -nologo -clp:NoSummary --verbosity quiet }
ExecSafe { & $env:DOTNET_EXE "$BuildOutput\build.dll" $BuildArguments }
