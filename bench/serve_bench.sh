#!/usr/bin/env bash
# galley serve under load, on loopback, with wrk (2 threads, 64 connections):
#  1. cached GET /v1/recipe against nginx serving the same bytes as a static file, in the same run
#     (targets: galley at least half of nginx's throughput, p99 under 10 ms);
#  2. uncached: distinct criteria each request (nodes=N counts up; the cache only evicts);
#  3. POST /v1/bundle (a recipe in, a reproducible tar.gz out);
#  4. cached GET with 1 and with 2 worker threads;
#  peak RSS of the server after each run (VmHWM).
# Every process is started here on 127.0.0.1 and stopped here. Usage: bench/serve_bench.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
SECS=${2:-5}
GALLEY=$BUILD/cli/galley
for tool in wrk nginx curl jq; do
  command -v "$tool" >/dev/null || { echo "serve_bench: $tool is missing (apt-get install wrk nginx-light)"; exit 2; }
done
T=$(mktemp -d)
chmod 755 "$T"  # nginx's workers run as another user
SERVER=
NGINX=
cleanup() {
  [ -n "$SERVER" ] && kill -TERM "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  [ -n "$NGINX" ] && kill -QUIT "$NGINX" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
Q='service=eks&accelerator=h100&os=ubuntu&intent=training&platform=kubeflow&kubernetes=1.34'
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_server() {  # start_server THREADS
  "$GALLEY" serve --listen 127.0.0.1:0 --threads "$1" --rate 1e9 --burst 1e9 --max-in-flight 10000 \
    2>"$T/server.log" &
  SERVER=$!
  for _ in $(seq 100); do
    URL=$(grep -o '"url":"[^"]*"' "$T/server.log" 2>/dev/null | head -1 | cut -d'"' -f4) && [ -n "$URL" ] && return 0
    sleep 0.05
  done
  echo "serve_bench: the server did not start: $(head -c 400 "$T/server.log")"; exit 1
}
stop_server() { kill -TERM "$SERVER"; wait "$SERVER" || true; SERVER=; }
rss() { awk '/VmHWM/ {printf "%.1f MB", $2 / 1024}' "/proc/$(pgrep -P "$SERVER" galley-serve || echo "$SERVER")/status" 2>/dev/null; }
# run_wrk NAME URL [LUA]: prints "NAME: N req/s, p50 X, p99 Y"
run_wrk() {
  local name=$1 url=$2 lua=${3:-}
  wrk -t2 -c64 -d"${SECS}s" --latency ${lua:+-s "$lua"} "$url" > "$T/wrk.txt" 2>&1
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$T/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$T/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$T/wrk.txt")
  errors=$(grep -E "Non-2xx|Socket errors" "$T/wrk.txt" | tr '\n' ' ' || true)
  printf '%-34s %10s req/s   p50 %-9s p99 %-9s %s\n' "$name" "$rps" "$p50" "$p99" "$errors"
  echo "$rps"> "$T/last.rps"
}

start_server 64
mkdir -p "$T/www" "$T/nginx"
curl -sS -o "$T/www/recipe.json" "$URL/v1/recipe?$Q"
echo "recipe: $(wc -c < "$T/www/recipe.json") bytes; machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
NPORT=$(free_port)
cat > "$T/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $T/nginx/body;
  proxy_temp_path $T/nginx/proxy;
  fastcgi_temp_path $T/nginx/fastcgi;
  uwsgi_temp_path $T/nginx/uwsgi;
  scgi_temp_path $T/nginx/scgi;
  types { application/json json; }
  server { listen 127.0.0.1:$NPORT; root $T/www; }
}
CONF
nginx -c "$T/nginx/nginx.conf" -p "$T/nginx" &
NGINX=$!
sleep 0.5

echo "== cached GET /v1/recipe vs nginx, the same bytes (wrk -t2 -c64 -d${SECS}s)"
run_wrk "nginx static recipe.json" "http://127.0.0.1:$NPORT/recipe.json"
NGINX_RPS=$(cat "$T/last.rps")
run_wrk "galley GET /v1/recipe (cached)" "$URL/v1/recipe?$Q"
GALLEY_RPS=$(cat "$T/last.rps")
echo "galley / nginx throughput: $(awk -v g="$GALLEY_RPS" -v n="$NGINX_RPS" 'BEGIN {printf "%.2f", g / n}') (target >= 0.5); server peak RSS $(rss)"

echo "== uncached GET /v1/recipe: distinct criteria each request"
cat > "$T/uncached.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/v1/recipe?service=eks&accelerator=h100&os=ubuntu&intent=training&platform=kubeflow&kubernetes=1.34&nodes=" .. n)
end
LUA
run_wrk "galley GET /v1/recipe (uncached)" "$URL" "$T/uncached.lua"
echo "server peak RSS $(rss)"

echo "== POST /v1/bundle (helm, the recipe above as the body)"
"$GALLEY" recipe --service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34 \
  --log-level error > "$T/recipe.yaml"
python3 - "$T/recipe.yaml" > "$T/bundle.lua" <<'PY'
import json, sys
body = ("--XBOUNDARY\r\nContent-Disposition: form-data; name=\"recipe\"; filename=\"recipe.yaml\"\r\n\r\n"
        + open(sys.argv[1]).read() + "\r\n--XBOUNDARY\r\nContent-Disposition: form-data; name=\"deployer\"\r\n\r\nhelm\r\n--XBOUNDARY--\r\n")
print('wrk.method = "POST"')
print('wrk.headers["Content-Type"] = "multipart/form-data; boundary=XBOUNDARY"')
print("wrk.body = " + json.dumps(body))
PY
run_wrk "galley POST /v1/bundle" "$URL/v1/bundle" "$T/bundle.lua"
echo "server peak RSS $(rss)"
stop_server

echo "== cached GET /v1/recipe by worker threads (a worker serves a connection while it has a request; idle ones wait in the poller)"
for threads in 1 2 64; do
  start_server "$threads"
  curl -sS -o /dev/null "$URL/v1/recipe?$Q"
  run_wrk "galley --threads $threads" "$URL/v1/recipe?$Q"
  echo "server peak RSS $(rss)"
  stop_server
done
