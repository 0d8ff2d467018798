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

# `dotnet --version` costs a few hundred milliseconds: its answer is kept in .nuke/temp until the SDKs change.
DOTNET_EXE="$(command -v dotnet || true)"
SDK_VERSION_FILE="$TEMP_DIRECTORY/dotnet-sdk-version"
if [[ -x "$DOTNET_EXE" ]] && SDK_DIR="$(dirname "$(readlink -f "$DOTNET_EXE")")/sdk" && [[ -s "$SDK_VERSION_FILE" && -d "$SDK_DIR" ]] &&
        [[ "$SDK_VERSION_FILE" -nt "$SDK_DIR" && "$SDK_VERSION_FILE" -nt "$BUILD_FILE" ]] && [[ -z "$(find "$SCRIPT_DIR" -maxdepth 1 -name global.json -newer "$SDK_VERSION_FILE")" ]]; then
    DOTNET_VERSION=$(<"$SDK_VERSION_FILE")
elif [[ -x "$DOTNET_EXE" ]] && DOTNET_VERSION=$("$DOTNET_EXE" --version 2>/dev/null); then
    mkdir -p "$TEMP_DIRECTORY" && echo "$DOTNET_VERSION" >"$SDK_VERSION_FILE"
else
    echo "error: no working 'dotnet' on PATH. Install the .NET 10 SDK (e.g. Debian/Ubuntu package dotnet-sdk-10.0) and retry;" >&2
    echo "       this build does not download an SDK." >&2
    exit 1
fi
echo "Microsoft (R) .NET SDK version $DOTNET_VERSION"

# Compile build.cs only when it, or a library it compiles, changed since the last compile.
if [[ ! -f "$BUILD_OUTPUT/build.dll" ]] || [[ -n "$(find "$BUILD_FILE" "$SCRIPT_DIR/tool" "$SCRIPT_DIR"/Directory.*.props \
        -newer "$BUILD_OUTPUT/build.dll" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' \) \
        -not -path '*/bin/*' -not -path '*/obj/*' -print -quit 2>/dev/null)" ]]; then
    MSBUILDDISABLENODEREUSE=1 "$DOTNET_EXE" build "$BUILD_FILE" -o "$BUILD_OUTPUT" -nologo -clp:NoSummary --verbosity quiet
    touch "$BUILD_OUTPUT/build.dll"
fi
"$DOTNET_EXE" "$BUILD_OUTPUT/build.dll" "$@"
