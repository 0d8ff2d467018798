#!/usr/bin/env bash
# Bootstrap of the triton-mesos build, laid out like NUKE's build.sh: `./build.sh <Target> [--parameter value]…`.
# It uses the installed .NET SDK (10 or newer) and never downloads one. The targets live in build.cs.

bash --version 2>&1 | head -n 1

set -eo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

###########################################################################
# CONFIGURATION
###########################################################################

BUILD_FILE="$SCRIPT_DIR/build.cs"
TEMP_DIRECTORY="$SCRIPT_DIR/.nuke/temp"
BUILD_OUTPUT="$TEMP_DIRECTORY/build-bin"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export NUKE_TELEMETRY_OPTOUT=1

###########################################################################
# EXECUTION
###########################################################################

if [[ -x "$(command -v dotnet)" ]] && dotnet --version &>/dev/null; then
    DOTNET_EXE="$(command -v dotnet)"
else
    echo "error: no working 'dotnet' on PATH. Install the .NET 10 SDK (e.g. Debian/Ubuntu package dotnet-sdk-10.0) and retry;" >&2
    echo "       this build does not download an SDK." >&2
    exit 1
fi
echo "Microsoft (R) .NET SDK version $("$DOTNET_EXE" --version)"

# Compile build.cs only when it, or a library it compiles, changed since the last compile.
if [[ ! -f "$BUILD_OUTPUT/build.dll" ]] || [[ -n "$(find "$BUILD_FILE" "$SCRIPT_DIR/tool" "$SCRIPT_DIR"/Directory.*.props \
        -newer "$BUILD_OUTPUT/build.dll" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' \) \
        -not -path '*/bin/*' -not -path '*/obj/*' -print -quit 2>/dev/null)" ]]; then
    MSBUILDDISABLENODEREUSE=1 "$DOTNET_EXE" build "$BUILD_FILE" -o "$BUILD_OUTPUT" -nologo -clp:NoSummary --verbosity quiet
    touch "$BUILD_OUTPUT/build.dll"
fi
"$DOTNET_EXE" "$BUILD_OUTPUT/build.dll" "$@"
