#!/bin/sh
# Install Ferry from this unpacked tarball, offline: nothing is downloaded and
# npm is not run (the production dependencies, native ones compiled for
# linux-x64, are in node_modules already). Node.js is bundled (node/): the
# host needs only glibc 2.28 or later and libstdc++ (GCC 5 or later), which
# every supported distribution has; no Node.js on the PATH.
#
#   ./install.sh                      into /opt/ferry, ferry in /usr/local/bin,
#                                     the ferry user and the systemd unit (as root)
#   ./install.sh --prefix DIR         into DIR/lib/ferry, ferry in DIR/bin
#   ./install.sh --no-systemd         no user, no unit (any user, any prefix)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=/opt/ferry
BINDIR=
SYSTEMD=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX=$2; shift 2 ;;
    --prefix=*) PREFIX=${1#--prefix=}; shift ;;
    --bindir) BINDIR=$2; shift 2 ;;
    --no-systemd) SYSTEMD=no; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$BINDIR" ] || { if [ "$PREFIX" = /opt/ferry ]; then BINDIR=/usr/local/bin; else BINDIR=$PREFIX/bin; fi; }

# The bundled node must start on this host: it fails here, not later under systemd.
if [ -d "$HERE/node/lib" ]; then LD_LIBRARY_PATH="$HERE/node/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; export LD_LIBRARY_PATH; fi
if ! why=$("$HERE/node/bin/node" -e 'process.stdout.write(process.versions.node)' 2>&1); then
  echo "install.sh: the bundled Node.js does not run on this host (it needs glibc 2.28 or later and libstdc++ from GCC 5 or later): $why" >&2
  exit 1
fi

LIB=$PREFIX/lib/ferry
mkdir -p "$LIB" "$BINDIR"
# Replace the code, never the data: nothing under $LIB is state.
for part in node dist node_modules policies simulator test docs package.json README.md bin completions systemd; do
  [ -e "$HERE/$part" ] || continue
  rm -rf "${LIB:?}/$part"
  cp -R "$HERE/$part" "$LIB/$part"
done
ln -sf "$LIB/bin/ferry" "$BINDIR/ferry"

if [ "$SYSTEMD" = yes ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install.sh: installing the service needs root; run with --no-systemd to install only the command." >&2
    exit 1
  fi
  if ! getent passwd ferry >/dev/null; then
    useradd --system --home-dir /var/lib/ferry --no-create-home --shell /usr/sbin/nologin ferry
  fi
  mkdir -p /etc/ferry /var/lib/ferry
  chown ferry:ferry /var/lib/ferry
  chmod 0750 /etc/ferry
  chgrp ferry /etc/ferry
  sed "s#@LIB@#$LIB#g" "$HERE/systemd/ferry-gateway@.service" > /etc/systemd/system/ferry-gateway@.service
  systemctl daemon-reload 2>/dev/null || true
  if [ -d /etc/bash_completion.d ]; then "$LIB/bin/ferry" completion bash > /etc/bash_completion.d/ferry; fi
  echo "Installed the unit ferry-gateway@.service. Put a gateway's configuration in /etc/ferry/<name>.yaml"
  echo "with data_dir: /var/lib/ferry/<name>, then: systemctl enable --now ferry-gateway@<name>"
fi
echo "Installed Ferry in $LIB; the command is $BINDIR/ferry (try: ferry demo)."
