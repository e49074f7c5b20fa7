#!/usr/bin/env bash
# registry.sh: a throw-away OCI registry (Debian's docker-registry, CNCF distribution) on 127.0.0.1,
# plain HTTP, no credentials, its storage in STATE_DIR/storage.
#   registry.sh start STATE_DIR   prints HOST:PORT once it answers
#   registry.sh stop STATE_DIR
set -euo pipefail
cmd=${1:?usage: registry.sh start|stop STATE_DIR}; state=${2:?usage: registry.sh start|stop STATE_DIR}
case $cmd in
start)
  mkdir -p "$state/storage"; state=$(cd "$state" && pwd)
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf '%s\n' 'version: 0.1' 'log: {level: error}' "storage: {filesystem: {rootdirectory: $state/storage}, delete: {enabled: true}}" \
    "http: {addr: 127.0.0.1:$port}" >"$state/config.yml"
  docker-registry serve "$state/config.yml" >"$state/registry.log" 2>&1 &
  echo $! >"$state/registry.pid"
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && { echo "127.0.0.1:$port"; exit 0; }
    sleep 0.1
  done
  echo "registry.sh: the registry did not start: $(tail -5 "$state/registry.log")" >&2; exit 1 ;;
stop)
  [ -f "$state/registry.pid" ] && kill "$(cat "$state/registry.pid")" 2>/dev/null; rm -f "$state/registry.pid" ;;
*) echo "usage: registry.sh start|stop STATE_DIR" >&2; exit 2 ;;
esac
