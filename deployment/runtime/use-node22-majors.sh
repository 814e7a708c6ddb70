#!/bin/sh
# On Node 22 and later, swaps in the majors of dependencies whose Node 20 major cannot load
# there; the lockfile keeps the Node 20 majors. Run after `npm ci` in the project folder.
#   restify 11 requires spdy -> http-deceiver, which calls process.binding('http_parser'),
#   removed in Node 22; restify 12 drops spdy but declares node >= 22.
#   better-sqlite3 12 aborts Node 24 when a statement is garbage-collected outside a context
#   (RemoveEnvironmentCleanupHook assertion); better-sqlite3 13 fixes it but needs node >= 22.
set -eu
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 22 ]; then
  echo "Node $major: keeping the lockfile's versions"
  exit 0
fi
npm install --no-save --no-audit --no-fund "$@" restify@^12.0.0 better-sqlite3@^13.2.0
