#!/usr/bin/env bash
# `make run` on a LAN: say loudly that staff sessions and private links cross the Wi-Fi in plain HTTP.
# Usage: scripts/plain_http_warning.sh HOST [SITE_URL] (prints nothing for a loopback host, nor when SITE_URL
# is https: a TLS proxy on this machine, README "TLS on a shelter's LAN", forwards to the loopback port).
host="${1:-127.0.0.1}"
case "${2:-}" in https://*) exit 0 ;; esac
case "$host" in
  127.*|localhost|::1|\[::1\]) exit 0 ;;
esac
cat <<WARN
################################################################################
#  WARNING: plain HTTP on ${host}
#  Staff passwords and sessions, residents' and volunteers' private links and
#  every name, phone and address on the pages travel UNENCRYPTED over this
#  network (a shelter's Wi-Fi, 00000JAPAN): anyone on it can read them and
#  take over a signed-in session.
#  Put TLS in front before real use: README, "TLS on a shelter's LAN".
################################################################################
WARN
