#!/usr/bin/env bash
# Checks the module and the standard library it is built with against the Go vulnerability database, read
# from a local copy: no request goes to vuln.go.dev. The database is built from the OSV records of the
# golang.org/x/vulndb module (fetched through the Go module proxy, like any dependency) and cached.
#
# Usage: scripts/vulncheck.sh [govulncheck flags]   (default: ./...)
# Refresh: set VULNDB_VERSION to a newer pseudo-version of golang.org/x/vulndb
#   (curl -s https://proxy.golang.org/golang.org/x/vulndb/@latest) and run again; docs/security.md.
set -euo pipefail
cd "$(dirname "$0")/.."
VULNDB_VERSION=${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}
GOVULNCHECK_VERSION=${GOVULNCHECK_VERSION:-v1.9.0}
cache=${VULNDB_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tradescreen/vulndb/$VULNDB_VERSION}
if [ ! -f "$cache/index/db.json" ]; then
  echo "building the vulnerability database $VULNDB_VERSION in $cache (once)" >&2
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  src=$(cd "$tmp" && go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  if [ -z "$src" ] || [ ! -d "$src/data/osv" ]; then
    echo "vulncheck: golang.org/x/vulndb@$VULNDB_VERSION has no data/osv directory" >&2
    exit 1
  fi
  mkdir -p "$cache.tmp"
  (cd "$tmp" && go run "golang.org/x/vulndb/cmd/indexdb@$VULNDB_VERSION" -vulns "$src/data/osv" -out "$cache.tmp")
  rm -rf "$cache" && mv "$cache.tmp" "$cache"
fi
echo "vulnerability database: golang.org/x/vulndb@$VULNDB_VERSION" >&2
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(./...)
exec go run "golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION" -db "file://$cache" "${args[@]}"
