#!/usr/bin/env bash
# shellcheck disable=SC2034  # some variables are used only inside the conditions that check() evals
# galley serve, end to end: the real binary on 127.0.0.1 (a free port it picks and prints), curl as
# the client, each server stopped by the test with SIGTERM (and its exit code checked). Every
# endpoint answers what the CLI prints for the same input, byte for byte where the CLI prints a
# document; errors are problem+json with the CLI's messages; every limit is exceeded once; TLS is
# checked with curl and a CA made here with openssl. Every response the suite gets is kept in
# $T/contract/ and judged against schemas/openapi.json by tests/interop/openapi-check.mjs.
# Usage: serve_blackbox.sh GALLEY SOURCE_DIR INTEROP_DIR
set -uo pipefail
GALLEY=$1
SRC=$2
INTEROP=$3
SANITIZED=${4:-}  # "sanitized": an ASan build links libstdc++ and the sanitizer runtimes
T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
# shellcheck source=tests/lib.sh
source "$SRC/tests/lib.sh"
export SOURCE_DATE_EPOCH=1767225600  # 2026-01-01: bundles and signatures made here are reproducible
mkdir -p "$T/contract"
N=0

# start_server ARGS...: galley serve on a free port; sets PID, URL, LOG.
start_server() {
  LOG=$T/server.$((++N)).log
  "$GALLEY" serve --listen 127.0.0.1:0 "$@" 2>"$LOG" &
  PID=$!
  for _ in $(seq 100); do
    URL=$(grep -o '"url":"[^"]*"' "$LOG" 2>/dev/null | head -1 | cut -d'"' -f4)
    [ -n "$URL" ] && return 0
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.05
  done
  bad "galley serve $* did not start: $(head -c 600 "$LOG")"
  return 1
}
# stop_server: SIGTERM, and the server must exit 0 within its drain time.
stop_server() {
  kill -TERM "$PID"
  wait "$PID"
  local rc=$?
  [ "$rc" = 0 ] && ok || bad "galley serve exited $rc after SIGTERM: $(tail -c 600 "$LOG")"
  grep -q '"event":"stopped"' "$LOG" && ok || bad "no stopped line in the log"
  PID=
}
# req EXPECTED_CODE CURL_ARGS... (the URL path last, relative to $URL): body in $T/out, headers in
# $T/hdr; the response is kept for the contract check.
req() {
  local want=$1; shift
  local path=${*: -1}
  local code
  rm -f "$T/out"
  code=$(curl -sS -o "$T/out" -D "$T/hdr" -w '%{http_code}' "${@:1:$#-1}" "$URL$path" 2>"$T/err")
  [ "$code" = "$want" ] && ok || bad "$path answered $code, expected $want: $(head -c 600 "$T/out") $(cat "$T/err")"
  local method=GET args=("${@:1:$#-1}") i
  for ((i = 0; i < ${#args[@]}; i++)); do
    case ${args[i]} in
      -F|--data-binary) [ "$method" = GET ] && method=POST ;;
      -X) method=${args[i+1]} ;;
    esac
  done
  local n=$((++N))
  if [ -f "$T/out" ]; then cp "$T/out" "$T/contract/$n.body"; else : > "$T/contract/$n.body"; fi
  jq -n --arg m "$method" --arg p "${path%%\?*}" --arg c "$code" \
     --arg t "$(grep -i '^content-type:' "$T/hdr" | head -1 | cut -d' ' -f2- | tr -d '\r' | cut -d';' -f1)" \
     '{method: $m, path: $p, status: ($c | tonumber), contentType: $t}' > "$T/contract/$n.json"
}
header_has() { grep -qi -- "^$1" "$T/hdr" && ok || bad "no header '$1' in: $(tr '\r\n' '  ' < "$T/hdr")"; }
jq_is() { [ "$(jq -r "$2" "$1" 2>/dev/null)" = "$3" ] && ok || bad "$1: $2 is '$(jq -r "$2" "$1" 2>&1 | head -c 300)', expected '$3'"; }
problem_is() {  # problem_is STATUS DETAIL_FRAGMENT: a problem+json body with the CLI's message
  header_has "content-type: application/problem+json"
  jq_is "$T/out" .status "$1"
  grep -qF -- "$2" <(jq -r .detail "$T/out") && ok || bad "detail lacks '$2': $(jq -r .detail "$T/out")"
  local id
  id=$(grep -i '^x-request-id:' "$T/hdr" | cut -d' ' -f2 | tr -d '\r')
  jq_is "$T/out" .requestId "$id"
}

EKS_Q='service=eks&accelerator=h100&os=ubuntu&intent=training&platform=kubeflow&kubernetes=1.34'
EKS=(--service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34)
"$GALLEY" recipe "${EKS[@]}" --format json > "$T/cli.json" 2>/dev/null
"$GALLEY" recipe "${EKS[@]}" > "$T/cli.yaml" 2>/dev/null
DIGEST=$(jq -r .metadata.digest "$T/cli.json")

begin galley_itself_links_no_http_library
no_http=httplib\|libssl\|libcrypto
[ -n "$SANITIZED" ] || no_http="$no_http\|libstdc"
check '! ldd "$GALLEY" | grep -q "$no_http"' "galley links: $(ldd "$GALLEY" | tr '\n' ' ')"

begin galley_serve_needs_galley_serve_beside_it
mkdir -p "$T/solo" && cp "$GALLEY" "$T/solo/galley"
"$T/solo/galley" serve --listen 127.0.0.1:0 >"$T/o" 2>"$T/err" </dev/null
check '[ $? = 3 ]' "galley serve without galley-serve did not exit 3"
err_has "galley serve runs galley-serve, installed beside galley"
"$GALLEY" serve --listen nowhere >"$T/o" 2>"$T/err" </dev/null
check '[ $? = 2 ]' "a bad --listen was accepted"
err_has "--listen nowhere: expected HOST:PORT"

start_server

# ------------------------------------------------------------------------------------ endpoints
begin recipe_get_is_the_cli_document_byte_for_byte
req 200 "/v1/recipe?$EKS_Q"
same "$T/out" "$T/cli.json"
header_has "content-type: application/json"
header_has "etag: \"$DIGEST\""
req 200 -H 'Accept: application/yaml' "/v1/recipe?$EKS_Q"
same "$T/out" "$T/cli.yaml"
header_has "content-type: application/yaml"

begin recipe_post_criteria_document_with_parameters_over_it
"$GALLEY" recipe --criteria "$SRC/examples/criteria/eks-h100-training.yaml" --kubernetes 1.35 --format json > "$T/cli-crit.json" 2>/dev/null
req 200 --data-binary "@$SRC/examples/criteria/eks-h100-training.yaml" -H 'Content-Type: application/yaml' "/v1/recipe?kubernetes=1.35"
same "$T/out" "$T/cli-crit.json"

begin etag_if_none_match_answers_304_and_the_cache_counts_hits
req 304 -H "If-None-Match: \"$DIGEST\"" "/v1/recipe?$EKS_Q"
check '[ ! -s "$T/out" ]' "a 304 with a body"
req 200 -H 'If-None-Match: "sha256:0000"' "/v1/recipe?$EKS_Q"
req 200 /metrics
check 'grep -qE "^galley_recipe_cache_hits_total [1-9]" "$T/out"' "no cache hits counted: $(grep cache "$T/out")"

begin cache_keys_on_the_criteria_as_the_resolver_reads_them
cache_count() { curl -sS "$URL/metrics" | grep "^galley_recipe_cache_$1_total " | cut -d' ' -f2; }
"$GALLEY" recipe --service EKS --accelerator H100 --os Ubuntu --intent Training --platform KubeFlow --kubernetes 1.34 \
  --format json > "$T/cli-upper.json" 2>/dev/null
misses=$(cache_count misses) hits=$(cache_count hits)
req 200 "/v1/recipe?service=EKS&accelerator=H100&os=Ubuntu&intent=Training&platform=KubeFlow&kubernetes=1.34"
same "$T/out" "$T/cli-upper.json"
check '[ "$(cache_count misses)" = "$misses" ]' "\"EKS\" and \"eks\" are two cache entries (misses $misses -> $(cache_count misses))"
check '[ "$(cache_count hits)" = "$((hits + 1))" ]' "no cache hit for the same criteria in other case (hits $hits -> $(cache_count hits))"

begin catalog_is_the_cli_document
"$GALLEY" catalog --format json > "$T/cli-catalog.json"
req 200 /v1/catalog
same "$T/out" "$T/cli-catalog.json"
"$GALLEY" catalog --stats --format yaml > "$T/cli-stats.yaml"
req 200 -H 'Accept: application/yaml' "/v1/catalog?stats=true"
same "$T/out" "$T/cli-stats.yaml"

begin query_and_explain_answer_as_the_cli
"$GALLEY" query --selector components.gpu-operator.version "${EKS[@]}" > "$T/cli-q.txt" 2>/dev/null
req 200 "/v1/query?selector=components.gpu-operator.version&$EKS_Q"
same "$T/out" "$T/cli-q.txt"
"$GALLEY" query --selector deploymentOrder "${EKS[@]}" > "$T/cli-q.yaml" 2>/dev/null
req 200 -H 'Accept: application/yaml' "/v1/query?selector=deploymentOrder&$EKS_Q"
same "$T/out" "$T/cli-q.yaml"
"$GALLEY" explain components.gpu-operator.version "${EKS[@]}" --format json > "$T/cli-e.json" 2>/dev/null
req 200 "/v1/explain?path=components.gpu-operator.version&$EKS_Q"
same "$T/out" "$T/cli-e.json"
req 404 "/v1/query?selector=components.nope&$EKS_Q"
problem_is 404 '"components.nope" is not in the recipe'
jq_is "$T/out" .exitCode 3

begin diff_of_two_criteria_documents
A=$SRC/examples/criteria/eks-h100-training.yaml
B=$SRC/examples/criteria/gke-gb200-inference.yaml
"$GALLEY" diff "$A" "$B" --format json > "$T/cli-diff.json" 2>/dev/null
req 200 -F "a=@$A" -F "b=@$B" /v1/diff
same "$T/out" "$T/cli-diff.json"
jq_is "$T/out" .differ true

begin bundle_is_the_cli_bundle_as_a_reproducible_tarball
"$GALLEY" bundle "${EKS[@]}" --deployer helm -o "$T/cli-bundle" --log-level error >/dev/null
req 200 -F "recipe=@$T/cli.yaml" -F deployer=helm /v1/bundle
header_has "content-type: application/gzip"
header_has "galley-recipe-digest: $DIGEST"
cp "$T/out" "$T/b1.tgz"
req 200 -F "recipe=@$T/cli.yaml" -F deployer=helm /v1/bundle
same "$T/out" "$T/b1.tgz"
mkdir -p "$T/b1" && tar -xzf "$T/b1.tgz" -C "$T/b1"
check 'diff -r "$T/b1" "$T/cli-bundle" >/dev/null' "the served bundle differs from galley bundle's: $(diff -rq "$T/b1" "$T/cli-bundle" | head -5)"
req 200 -F deployer=argocd -F repo-url=https://git.example.com/x.git "/v1/bundle?$EKS_Q"
check 'tar -tzf "$T/out" | grep -c "/application.yaml$" >/dev/null' "no Argo CD Application in the tarball"
req 400 -F "recipe=@$T/cli.yaml" -F deployer=helm -F "set=gpu-operator:driver.enabld=false" /v1/bundle
problem_is 400 "driver.enabld"
req 400 -F "recipe=@$T/cli.yaml" -F deployer=helm -F "templates=/etc" /v1/bundle
problem_is 400 'templates: unknown parameter'

begin bundle_takes_values_parts_and_deployer_options_as_the_cli
printf 'driver:\n  enabled: false\n' > "$T/gpu-values.yaml"
printf 'toolkit:\n  enabled: false\n' > "$T/gpu-values2.yaml"
for d in helm argocd; do
  rm -rf "$T/cli-opt" "$T/srv-opt" && mkdir -p "$T/srv-opt"
  if [ $d = helm ]; then
    cli_extra=(--kube-context prod-admin) form_extra=(-F kube-context=prod-admin)
  else
    cli_extra=(--repo-url https://git.example.com/x.git --revision prod --path clusters/a --argocd-project gpu
               --destination-name prod --argocd-namespace ops)
    form_extra=(-F repo-url=https://git.example.com/x.git -F revision=prod -F path=clusters/a -F argocd-project=gpu
                -F destination-name=prod -F argocd-namespace=ops)
  fi
  "$GALLEY" bundle --recipe "$T/cli.yaml" --deployer $d -o "$T/cli-opt" --log-level warn \
    --values "gpu-operator:$T/gpu-values.yaml" --values "gpu-operator:$T/gpu-values2.yaml" \
    --set gpu-operator:dcgmExporter.enabled=false --node-selector nvidia.com/gpu.present=true \
    --toleration dedicated=gpu:NoSchedule --registry-mirror mirror.example.com "${cli_extra[@]}" >/dev/null 2>"$T/cli-warnings"
  req 200 -F "recipe=@$T/cli.yaml" -F deployer=$d -F "values.gpu-operator=@$T/gpu-values.yaml" \
    -F "values.gpu-operator=@$T/gpu-values2.yaml" -F set=gpu-operator:dcgmExporter.enabled=false \
    -F node-selector=nvidia.com/gpu.present=true -F toleration=dedicated=gpu:NoSchedule \
    -F registry-mirror=mirror.example.com "${form_extra[@]}" /v1/bundle
  tar -xzf "$T/out" -C "$T/srv-opt"
  sed -n 's/^galley: warning: //p' "$T/cli-warnings" > "$T/cli-warnings.txt"
  tr -d '\r' < "$T/hdr" | sed -n 's/^[Gg]alley-[Ww]arnings: //p' | jq -r '.[]' > "$T/srv-warnings.txt"
  check '[ -s "$T/cli-warnings.txt" ] && diff "$T/cli-warnings.txt" "$T/srv-warnings.txt" >/dev/null' \
    "the $d bundle's warnings differ from galley bundle's: $(diff "$T/cli-warnings.txt" "$T/srv-warnings.txt" | head -5)"
  check 'diff -r "$T/srv-opt" "$T/cli-opt" >/dev/null' "the $d bundle with options differs from galley bundle's: $(diff -rq "$T/srv-opt" "$T/cli-opt" | head -5)"
  check 'grep -rq "enabled: false" "$T/srv-opt"' "the values did not reach the $d bundle"
done
printf -- '- a list\n' > "$T/list-values.yaml"
req 400 -F "recipe=@$T/cli.yaml" -F "values.gpu-operator=@$T/list-values.yaml" /v1/bundle
problem_is 400 "values.gpu-operator:1: a values file must be a YAML map"
"$GALLEY" bundle --recipe "$T/cli.yaml" --deployer helm -o "$T/cli-bad" --values "gpu-operator:$T/list-values.yaml" >/dev/null 2>"$T/err"
check '[ $? = 2 ]' "galley bundle took a list as values"
err_has "list-values.yaml:1: a values file must be a YAML map"
req 400 -F "recipe=@$T/cli.yaml" -F "values.=@$T/gpu-values.yaml" /v1/bundle
problem_is 400 "values.: unknown parameter"
req 400 -F "recipe=@$T/cli.yaml" -F deployer=argocd -F destination-name=a -F destination-server=https://k /v1/bundle
problem_is 400 "destination-name: give a destination server or a destination name, not both"
req 400 -F "recipe=@$T/cli.yaml" -F node-selector=novalue /v1/bundle
problem_is 400 "node-selector novalue: expected two parts separated by '='"

begin validate_reports_as_the_cli
"$GALLEY" snapshot --skip-node --kubectl-version "$SRC/examples/snapshot/eks-cluster/version.json" --format json > "$T/snap.json" 2>/dev/null
(cd "$T" && "$GALLEY" validate --recipe cli.yaml --snapshot snap.json --as-of 2026-06-01 --format json > cli-report.json 2>/dev/null)
CLI_RC=$?
req 200 -F "recipe=@$T/cli.yaml" -F "snapshot=@$T/snap.json" -F as-of=2026-06-01 -F format=json /v1/validate
same "$T/out" "$T/cli-report.json"
header_has "galley-exit-code: $CLI_RC"
(cd "$T" && "$GALLEY" validate --recipe cli.yaml --snapshot snap.json --as-of 2026-06-01 --format junit > cli-report.xml 2>/dev/null)
req 200 -F "recipe=@$T/cli.yaml" -F "snapshot=@$T/snap.json" -F as-of=2026-06-01 -F format=junit /v1/validate
same "$T/out" "$T/cli-report.xml"
header_has "content-type: application/xml"
req 400 -F "recipe=@$T/cli.yaml" -F "snapshot=@$T/cli.yaml" /v1/validate
problem_is 400 "cli.yaml"

begin errors_are_problem_json_with_the_cli_messages
"$GALLEY" recipe --service nope --accelerator h100 2> "$T/cli-err" >/dev/null
req 400 "/v1/recipe?service=nope&accelerator=h100"
problem_is 400 "$(sed 's/^galley: error: //' "$T/cli-err" | head -1)"
req 400 "/v1/recipe?service=eks&accelerater=h100"
problem_is 400 'did you mean "accelerator"'
req 400 /v1/recipe
problem_is 400 "no criteria given"
req 404 /v1/nothing
problem_is 404 "no such endpoint"
req 405 -X DELETE /v1/recipe
header_has "allow: GET, POST"
req 400 --data-binary 'kind: [unclosed' -H 'Content-Type: application/yaml' /v1/recipe
problem_is 400 "request body"

begin access_log_line_carries_the_request_id
req 200 "/v1/recipe?$EKS_Q"
ID=$(grep -i '^x-request-id:' "$T/hdr" | cut -d' ' -f2 | tr -d '\r')
sleep 0.1
check 'grep -F "\"requestId\":\"$ID\"" "$LOG" | jq -e ".status == 200 and .path == \"/v1/recipe\"" >/dev/null' "no access log line for $ID"

begin metrics_count_routes_codes_latency_and_rejections
req 200 /metrics
out_has 'galley_http_requests_total{route="/v1/recipe",code="200"}'
out_has 'galley_http_requests_total{route="/v1/recipe",code="304"}'
out_has 'galley_http_request_duration_seconds_bucket{route="/v1/recipe",le="+Inf"}'
out_has 'galley_http_in_flight 0'
out_has 'galley_http_rejections_total{reason="rate"}'
req 200 /healthz
req 200 /readyz
req 200 /openapi.json
same "$T/out" "$SRC/schemas/openapi.json"

begin garbage_and_clients_killed_mid_upload_leave_the_server_whole
PORT=${URL##*:}
FDS=$(ls "/proc/$PID/fd" | wc -l)
python3 "$SRC/tests/server/slow_client.py" "$PORT" garbage > "$T/g.txt"
check 'grep -q "^HTTP/1.1 400\|^closed" "$T/g.txt"' "garbage answered: $(cat "$T/g.txt")"
for _ in 1 2 3; do python3 "$SRC/tests/server/slow_client.py" "$PORT" abort-body >/dev/null; done
sleep 0.3
req 200 /metrics
out_has 'galley_http_in_flight 0'
req 200 "/v1/recipe?$EKS_Q"
sleep 0.2
check '[ "$(ls "/proc/$PID/fd" | wc -l)" -le "$FDS" ]' "connections leaked: $FDS descriptors before, $(ls "/proc/$PID/fd" | wc -l) after"
stop_server

# ----------------------------------------------------------------------------------------- limits
begin body_over_the_limit_is_413
start_server --max-body 1000
head -c 5000 /dev/zero | tr '\0' a > "$T/big"
req 413 --data-binary "@$T/big" -H 'Content-Type: application/yaml' /v1/recipe
problem_is 413 "over the limit of 1000 bytes"
req 200 /metrics
out_has 'galley_http_rejections_total{reason="body"} 1'

begin header_over_the_limit_is_refused
req 400 -H "X-Big: $(head -c 10000 /dev/zero | tr '\0' b)" /v1/catalog
problem_is 400 "could not be read"
req 200 /metrics
out_has 'galley_http_rejections_total{reason="malformed"} 1'
req 200 /healthz
stop_server

begin slow_loris_cannot_hold_the_only_worker
start_server --threads 1 --read-timeout 1 --idle-timeout 1
PORT=${URL##*:}
python3 "$SRC/tests/server/slow_client.py" "$PORT" stall-headers 5 > "$T/sl.txt"
check 'grep -q "^closed after [12] s" "$T/sl.txt"' "a stalled request line was held: $(cat "$T/sl.txt")"
req 200 /healthz
python3 "$SRC/tests/server/slow_client.py" "$PORT" dribble 6 > "$T/dribble.txt"
check 'grep -q "^closed after [12] s" "$T/dribble.txt"' "a request sent a byte at a time held the worker: $(cat "$T/dribble.txt")"
req 200 /healthz
stop_server

begin idle_keep_alive_connections_hold_no_worker
start_server --threads 2 --idle-timeout 4
PORT=${URL##*:}
python3 "$SRC/tests/server/slow_client.py" "$PORT" hold 40 10 > "$T/hold.txt" &
HOLD=$!
gauge() { curl -s "$URL/metrics" | awk -v n="$1" '$1 == n {print $2}'; }
for _ in $(seq 50); do [ "$(gauge galley_http_connections_idle)" -ge 40 ] 2>/dev/null && break; sleep 0.1; done
check '[ "$(gauge galley_http_connections_idle)" -ge 40 ]' "40 idle connections not held by the poller: $(gauge galley_http_connections_idle)"
req 200 --max-time 2 "/v1/recipe?$EKS_Q"   # two workers, 40 idle connections: answered at once, not after 4 s
wait "$HOLD"
check 'grep -q "^closed 40 of 40 after [456] s" "$T/hold.txt"' "idle connections were not closed after --idle-timeout: $(cat "$T/hold.txt")"
stop_server

begin connections_over_the_limit_are_closed_at_once
start_server --threads 2 --max-connections 4 --idle-timeout 5
PORT=${URL##*:}
python3 "$SRC/tests/server/slow_client.py" "$PORT" hold 4 2 > "$T/hold.txt" &
HOLD=$!
for _ in $(seq 50); do grep -q "^open" "$T/hold.txt" && break; sleep 0.1; done
sleep 0.3
curl -s -o /dev/null "$URL/healthz"
check '[ $? != 0 ]' "a fifth connection was served over --max-connections 4"
wait "$HOLD"
for _ in $(seq 30); do curl -sf -o /dev/null "$URL/healthz" && break; sleep 0.1; done
req 200 /metrics
out_has 'galley_http_rejections_total{reason="connections"}'
stop_server

begin in_flight_limit_is_503_with_retry_after
start_server --threads 4 --max-in-flight 1 --read-timeout 5
PORT=${URL##*:}
python3 "$SRC/tests/server/slow_client.py" "$PORT" stall-body 2 > "$T/stall.txt" &
SLOW=$!
for _ in $(seq 30); do curl -s "$URL/metrics" | grep -q '^galley_http_in_flight 1$' && break; sleep 0.05; done
req 503 "/v1/recipe?$EKS_Q"
problem_is 503 "limit of requests in flight"
header_has "retry-after: 1"
wait "$SLOW"
check 'grep -q "^HTTP/1.1 " "$T/stall.txt"' "the slow request got no answer: $(cat "$T/stall.txt")"
req 200 "/v1/recipe?$EKS_Q"
stop_server

begin per_client_rate_limit_is_429_with_retry_after
start_server --rate 0.5 --burst 2
req 200 /v1/catalog
req 200 /v1/catalog
req 429 /v1/catalog
problem_is 429 "too many requests"
header_has "retry-after: 2"
req 200 /healthz

begin deadline_guard_on_bundle_is_503
stop_server
start_server --deadline 0.001 --threads 8   # at most 8 / 4 = 2 abandoned bundles still running
req 503 -F "recipe=@$T/cli.yaml" -F deployer=helm /v1/bundle
problem_is 503 "deadline"
header_has "retry-after:"
# Work past the deadline stops at its next deadline check; while more than 8 / 4 = 2 cut works
# still run, new ones are refused at once. Either way every request is answered 503.
seq 8 | xargs -P 8 -I{} curl -s -w '\n' -F "recipe=@$T/cli.yaml" -F deployer=helm "$URL/v1/bundle" > "$T/answers"
check '[ "$(jq -s "map(.status) | unique | tostring" "$T/answers")" = "\"[503]\"" ]' "parallel bundles past the deadline: $(head -c 600 "$T/answers")"
cut_works=$(( $(grep -c "longer than the server's deadline" "$T/answers") + 1 ))  # with the one before
stopped() { curl -s "$URL/metrics" | awk '$1 == "galley_work_stopped_at_deadline_total" {print $2}'; }
for _ in $(seq 50); do [ "$(stopped)" -ge "$cut_works" ] 2>/dev/null && break; sleep 0.1; done
check '[ "$(stopped)" -ge "$cut_works" ]' "$cut_works works past the deadline, $(stopped) stopped at a check"
req 503 -F "recipe=@$T/cli.yaml" -F deployer=helm /v1/bundle   # the cut works have ended: no refusal for them
problem_is 503 "longer than the server's deadline"
stop_server

# ------------------------------------------------------------------------------------ tokens, TLS
begin bearer_tokens_hashed_in_a_file_and_open_probes
printf '# ci\n%s\n' "$(printf %s s3cret-token | sha256sum | cut -d' ' -f1)" > "$T/tokens"
start_server --tokens "$T/tokens"
req 401 /v1/catalog
problem_is 401 "a bearer token is required"
header_has "www-authenticate: Bearer"
req 401 -H 'Authorization: Bearer wrong' /v1/catalog
req 200 -H 'Authorization: Bearer s3cret-token' /v1/catalog
req 200 /healthz
req 200 /readyz
req 200 /metrics
stop_server
echo "not-a-hash" > "$T/bad-tokens"
"$GALLEY" serve --listen 127.0.0.1:0 --tokens "$T/bad-tokens" >"$T/o" 2>"$T/err" </dev/null
check '[ $? = 2 ]' "a malformed tokens file was accepted"
err_has "bad-tokens:1"

begin tls_with_a_ca_made_here
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=test-ca \
  -keyout "$T/ca.key" -out "$T/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=127.0.0.1 \
  -keyout "$T/tls.key" -out "$T/tls.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' > "$T/san.ext"
openssl x509 -req -in "$T/tls.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -days 1 \
  -extfile "$T/san.ext" -out "$T/tls.crt" 2>/dev/null
start_server --tls-cert "$T/tls.crt" --tls-key "$T/tls.key"
check '[[ $URL == https://* ]]' "not https: $URL"
req 200 --cacert "$T/ca.pem" "/v1/recipe?$EKS_Q"
same "$T/out" "$T/cli.json"
check '! curl -sS -o /dev/null "$URL/healthz" 2>/dev/null' "curl trusted the server without the CA"
stop_server

begin slow_loris_over_tls_cannot_hold_the_only_worker
start_server --tls-cert "$T/tls.crt" --tls-key "$T/tls.key" --threads 1 --read-timeout 1 --idle-timeout 1
PORT=${URL##*:}
python3 "$SRC/tests/server/slow_client.py" "$PORT" tls-stall-hello 5 > "$T/tsl.txt"
check 'grep -q "^closed after [12] s" "$T/tsl.txt"' "a stalled TLS hello was held: $(cat "$T/tsl.txt")"
req 200 --cacert "$T/ca.pem" /healthz
python3 "$SRC/tests/server/slow_client.py" "$PORT" tls-dribble 6 "$T/ca.pem" > "$T/tdribble.txt"
check 'grep -q "^closed after [12] s" "$T/tdribble.txt"' "a request sent a byte at a time over TLS held the worker: $(cat "$T/tdribble.txt")"
req 200 --cacert "$T/ca.pem" /healthz
# keep-alive over TLS: two requests on one connection
curl -sS --cacert "$T/ca.pem" -o /dev/null -o /dev/null -w '%{num_connects}\n' "$URL/healthz" "$URL/readyz" > "$T/ka.txt" 2>&1
check '[ "$(tr -d "\n" < "$T/ka.txt")" = 10 ]' "keep-alive over TLS did not reuse the connection: $(cat "$T/ka.txt")"
stop_server

# ------------------------------------------------------------------------------ signing, verify
begin signed_bundles_verify_with_galley_verify_and_post_verify
"$GALLEY" keygen --out "$T/k" >/dev/null 2>&1
start_server --signing-key "$T/k.key"
req 200 -F "recipe=@$T/cli.yaml" -F deployer=helm /v1/bundle
header_has "galley-signed-by:"
cp "$T/out" "$T/signed.tgz"
mkdir -p "$T/signed" && tar -xzf "$T/signed.tgz" -C "$T/signed"
check '[ -f "$T/signed/attestation.sigstore.json" ]' "no attestation in the signed tarball"
"$GALLEY" verify "$T/signed" --key "$T/k.pub" >"$T/o" 2>&1
check '[ $? = 0 ]' "galley verify refused the served bundle: $(cat "$T/o")"
req 200 -F "bundle=@$T/signed.tgz" -F "key=@$T/k.pub" /v1/verify
header_has "galley-exit-code: 0"
echo "# tampered" >> "$T/signed/README.md"
tar -czf "$T/tampered.tgz" -C "$T/signed" .
req 200 -F "bundle=@$T/tampered.tgz" -F "key=@$T/k.pub" /v1/verify
header_has "galley-exit-code: 1"

begin post_verify_takes_a_trust_policy_as_galley_verify_trust
{ printf 'apiVersion: galley.dev/v1alpha1\nkind: TrustPolicy\nmetadata:\n  name: ci\nspec:\n  keys:\n    - name: ci\n      publicKey: |\n'
  sed 's/^/        /' "$T/k.pub"; } > "$T/trust.yaml"
sed '$a\      notAfter: "2020-01-01"' "$T/trust.yaml" > "$T/expired.yaml"
rm -rf "$T/signed" && mkdir -p "$T/signed" && tar -xzf "$T/signed.tgz" -C "$T/signed"
for policy in trust expired; do
  "$GALLEY" verify "$T/signed" --trust "$T/$policy.yaml" --as-of 2026-06-01 --format json >"$T/cli-verify.json" 2>&1
  cli_rc=$?
  req 200 -F "bundle=@$T/signed.tgz" -F "trust=@$T/$policy.yaml" -F as-of=2026-06-01 /v1/verify
  header_has "galley-exit-code: $cli_rc"
  check 'diff <(jq -S "del(.bundle, .trust)" "$T/cli-verify.json") <(jq -S "del(.bundle, .trust)" "$T/out") >/dev/null' \
    "POST /v1/verify with the $policy policy reports other than galley verify --trust: $(diff <(jq -S . "$T/cli-verify.json") <(jq -S . "$T/out") | head -20)"
done
check '[ "$cli_rc" = 1 ]' "an expired key was trusted by galley verify"
req 400 -F "bundle=@$T/signed.tgz" -F "trust=@$T/trust.yaml" -F "key=@$T/k.pub" /v1/verify
problem_is 400 "give exactly one of the key"
printf 'apiVersion: galley.dev/v1alpha1\nkind: TrustPolicy\nmetadata:\n  name: ci\nspec:\n  keys:\n    - name: ci\n      publicKey: not a key\n' > "$T/bad-trust.yaml"
req 400 -F "bundle=@$T/signed.tgz" -F "trust=@$T/bad-trust.yaml" /v1/verify
problem_is 400 "trust:8: spec.keys[0].publicKey"
stop_server

# --------------------------------------------------------------------------------------- draining
begin sigterm_drains_requests_in_flight_then_exits_0
start_server --read-timeout 5 --drain 10
PORT=${URL##*:}
python3 "$SRC/tests/server/slow_client.py" "$PORT" stall-body 1.5 > "$T/drain.txt" &
SLOW=$!
sleep 0.5
kill -TERM "$PID"
sleep 0.3
check '! curl -s -o /dev/null "$URL/healthz"' "a new connection was accepted while draining"
wait "$SLOW"
check 'grep -q "^HTTP/1.1 " "$T/drain.txt"' "the request in flight got no answer: $(cat "$T/drain.txt")"
wait "$PID"
check '[ $? = 0 ]' "the drained server did not exit 0"
grep -q '"event":"draining"' "$LOG" && ok || bad "no draining line"
PID=

begin sigterm_under_load_answers_or_refuses_every_request
start_server --drain 10 --rate 100000 --burst 100000  # the rate limit is tested above
seq 400 | xargs -P 8 -I{} curl -s -o /dev/null -w '%{http_code}\n' "$URL/v1/recipe?$EKS_Q&nodes={}" > "$T/codes" 2>/dev/null &
LOAD=$!
sleep 0.7
kill -TERM "$PID"
wait "$LOAD"
wait "$PID"
check '[ $? = 0 ]' "the server under load did not exit 0 on SIGTERM: $(tail -c 600 "$LOG")"
PID=
check '[ "$(wc -l < "$T/codes")" = 400 ]' "not every request ended: $(wc -l < "$T/codes")"
check '[ -z "$(grep -vxE "200|503|000" "$T/codes")" ]' "codes other than 200, 503 or refused: $(sort "$T/codes" | uniq -c | tr '\n' ' ')"
check 'grep -qx 200 "$T/codes" && grep -qx 000 "$T/codes"' "expected answers before and refusals after: $(sort "$T/codes" | uniq -c | tr '\n' ' ')"

begin sigterm_reports_not_ready_while_still_serving_for_the_shutdown_delay
start_server --shutdown-delay 2
kill -TERM "$PID"
sleep 0.3
req 503 /readyz
req 200 "/v1/recipe?$EKS_Q"
same "$T/out" "$T/cli.json"
sleep 2.2
check '! curl -s -o /dev/null "$URL/healthz"' "still accepting after the shutdown delay"
wait "$PID"
check '[ $? = 0 ]' "did not exit 0"
PID=

# -------------------------------------------------------------------------------------- contract
begin every_response_matches_the_openapi_document
node "$INTEROP/openapi-check.mjs" "$SRC/schemas/openapi.json" "$T/contract" > "$T/o" 2>&1
check '[ $? = 0 ]' "openapi-check: $(tail -c 1500 "$T/o")"
check '[ "$(grep -o "^openapi-check: [0-9]*" "$T/o" | cut -d" " -f2)" -gt 40 ]' "too few responses checked: $(tail -1 "$T/o")"

finish serve_blackbox
