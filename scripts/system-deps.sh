#!/usr/bin/env bash
# Installs the Debian packages Ghișeu needs (OCR, PDF, browser for tests, fonts, libmagic).
# As root it runs apt-get; with passwordless sudo it uses sudo; otherwise it prints the exact command.
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  echo ">> Installing Debian packages: ${missing[*]}"
  bash -c "$cmd"
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  echo ">> Installing Debian packages with sudo: ${missing[*]}"
  sudo bash -c "$cmd"
else
  echo "!! Ghișeu needs these Debian packages: ${missing[*]}" >&2
  echo "!! Run as root:  sudo bash -c '$cmd'" >&2
  exit 1
fi
