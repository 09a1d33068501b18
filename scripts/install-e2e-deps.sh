#!/usr/bin/env bash
# Installs what the real-editor tests and the demo need, from Debian's and npm's registries only:
# Debian's Chromium (for the webview and UI tests), ripgrep and libkrb5-dev (for code-server's
# postinstall), and code-server 4.100.3 (= VS Code 1.100) into .cache/code-server, outside the
# extension's own dependencies. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION=4.100.3
PREFIX="$PWD/.cache/code-server"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ "${1:-}" = "--chromium-only" ]; then exit 0; fi

# code-server writes a config file under $HOME whenever it runs: keep that out of the user's home.
work_tmp="$(mktemp -d)"
trap 'rm -rf "$work_tmp"' EXIT

if [ -x "$PREFIX/node_modules/.bin/code-server" ] && HOME="$work_tmp" "$PREFIX/node_modules/.bin/code-server" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION"; then
  echo "== code-server $CODE_SERVER_VERSION already installed in $PREFIX"
  exit 0
fi

echo "== installing code-server $CODE_SERVER_VERSION into $PREFIX (takes a few minutes)"
mkdir -p "$PREFIX"
# @vscode/ripgrep downloads rg from GitHub unless its cache holds the archive: give it Debian's rg.
rg_cache="$work_tmp/vscode-ripgrep-cache-1.15.11"
mkdir -p "$rg_cache/pack"
cp "$(command -v rg)" "$rg_cache/pack/rg"
tar -czf "$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$rg_cache/pack" rg
[ -f "$PREFIX/package.json" ] || echo '{ "name": "podnet-code-server", "private": true }' > "$PREFIX/package.json"
(
  cd "$PREFIX"
  TMPDIR="$work_tmp" npm_config_yes=true npm_config_build_from_source=true npm_config_nodedir=/usr \
    npm install --no-audit --no-fund --unsafe-perm --foreground-scripts "code-server@$CODE_SERVER_VERSION" > "$work_tmp/install.log" 2>&1 \
    || { tail -50 "$work_tmp/install.log"; echo "code-server install failed" >&2; exit 1; }
)
HOME="$work_tmp" "$PREFIX/node_modules/.bin/code-server" --version
