#!/usr/bin/env bash
# git-server.sh: a real git server on 127.0.0.1 for the tests, its repositories in STATE_DIR/repos.
#   git-server.sh start STATE_DIR [--http]   git daemon (git://, push enabled), or with --http git's
#                                            own http-backend behind git-http.py (smart HTTP, push
#                                            enabled, no credentials); prints the base URL
#   git-server.sh new-repo STATE_DIR NAME    a bare repository NAME.git whose HEAD is main; prints its URL
#   git-server.sh stop STATE_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage() { echo "usage: git-server.sh start STATE_DIR [--http] | new-repo STATE_DIR NAME | stop STATE_DIR" >&2; exit 2; }
cmd=${1:-}; state=${2:-}; [ -n "$cmd" ] && [ -n "$state" ] || usage
case $cmd in
start)
  mkdir -p "$state/repos"; state=$(cd "$state" && pwd)
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if [ "${3:-}" = --http ]; then
    python3 "$here/git-http.py" "$state/repos" "$port" >"$state/server.log" 2>&1 &
    url=http://127.0.0.1:$port/
  else
    git daemon --listen=127.0.0.1 --port="$port" --reuseaddr --export-all --enable=receive-pack \
      --base-path="$state/repos" "$state/repos" >"$state/server.log" 2>&1 &
    url=git://127.0.0.1:$port/
  fi
  echo $! >"$state/server.pid"
  echo "$url" >"$state/url"
  for _ in $(seq 100); do
    python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$port" 2>/dev/null && { echo "$url"; exit 0; }
    sleep 0.1
  done
  echo "git-server.sh: the server did not start: $(tail -5 "$state/server.log")" >&2; exit 1 ;;
new-repo)
  name=${3:-}; [ -n "$name" ] || usage
  git init -q --bare --initial-branch=main "$state/repos/$name.git"
  git -C "$state/repos/$name.git" config receive.denyNonFastForwards false
  [ -f "$state/url" ] && echo "$(cat "$state/url")$name.git" ;;
stop)
  [ -f "$state/server.pid" ] && kill "$(cat "$state/server.pid")" 2>/dev/null; rm -f "$state/server.pid" ;;
*) usage ;;
esac
