#!/usr/bin/env bash
# deploy/helm/galley judged by real helm (v3 and v4: `helm lint --strict`, `helm template`) and every
# rendered object by tests/interop/k8s-check.mjs (kubernetes-models; unknown fields fail), with the
# optional parts off and on. The ServiceMonitor (a prometheus-operator CRD, not vendored here) is only
# rendered and checked for its fields by jq.
# Usage: chart_check.sh SOURCE_DIR INTEROP_BIN INTEROP_DIR
set -uo pipefail
SRC=$1
BIN=$2
INTEROP=$(cd "$3" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# shellcheck source=tests/lib.sh
source "$SRC/tests/lib.sh"
CHART=$SRC/deploy/helm/galley
export HELM_CACHE_HOME=$T/cache HELM_CONFIG_HOME=$T/config HELM_DATA_HOME=$T/data
ON=(--set tokens.existingSecret=galley-tokens --set signingKey.existingSecret=galley-signing
    --set tls.existingSecret=galley-tls --set serviceMonitor.enabled=true
    --set networkPolicy.allowedNamespaceLabels.team=platform)

for helm in "$BIN"/helm "$BIN"/helm4; do
  [ -x "$helm" ] || { bad "no $helm (scripts/setup-interop.sh)"; continue; }
  v=$(basename "$helm")
  begin "${v}_lint_and_template"
  "$helm" lint --strict "$CHART" > "$T/out" 2>&1 && ok || bad "$v lint: $(tail -c 800 "$T/out")"
  "$helm" lint --strict "$CHART" "${ON[@]}" > "$T/out" 2>&1 && ok || bad "$v lint (all on): $(tail -c 800 "$T/out")"
  "$helm" template rel "$CHART" > "$T/$v-default.yaml" 2>"$T/err" && ok || bad "$v template: $(cat "$T/err")"
  "$helm" template rel "$CHART" "${ON[@]}" > "$T/$v-on.yaml" 2>"$T/err" && ok || bad "$v template (all on): $(cat "$T/err")"
done

begin objects_validate_against_the_kubernetes_schemas
node "$INTEROP/k8s-check.mjs" "$T/helm-default.yaml" "$T/helm-on.yaml" > "$T/out" 2>&1 && ok || bad "k8s-check: $(tail -c 1500 "$T/out")"
out_has "0 failure(s)"
out_has "1 without schema"   # the ServiceMonitor only

begin the_pod_is_restricted_and_probed
node -e "
  const y = require(process.argv[1]); const fs = require('fs');
  console.log(JSON.stringify(y.parseAllDocuments(fs.readFileSync(process.argv[2], 'utf8')).map((d) => d.toJSON())))" \
  "$INTEROP/node_modules/yaml" "$T/helm-on.yaml" > "$T/on.json"
D='.[] | select(.kind == "Deployment") | .spec.template.spec'
C="$D | .containers[0]"
for expr in "$D.securityContext.runAsNonRoot" "$C.securityContext.readOnlyRootFilesystem" \
            "$C.securityContext.allowPrivilegeEscalation == false" '[.[] | .kind] | index("HorizontalPodAutoscaler") != null' \
            '[.[] | .kind] | index("PodDisruptionBudget") != null' '[.[] | .kind] | index("NetworkPolicy") != null' \
            '[.[] | .kind] | index("ServiceMonitor") != null' "$C.readinessProbe.httpGet.path == \"/readyz\"" \
            "$C.livenessProbe.httpGet.path == \"/healthz\"" "$C.securityContext.capabilities.drop == [\"ALL\"]" \
            "($D | .securityContext.seccompProfile.type) == \"RuntimeDefault\"" \
            "[$C.args[] | select(startswith(\"--tokens=\") or startswith(\"--signing-key=\") or startswith(\"--tls-cert=\"))] | length == 3" \
            "[$D.volumes[] | select(.secret) | .secret.secretName] == [\"galley-tokens\", \"galley-signing\", \"galley-tls\"]" \
            "$C.resources.limits.memory != null"; do
  [ "$(jq -r "$expr" "$T/on.json")" = true ] && ok || bad "not true: $expr"
done

finish chart_check
