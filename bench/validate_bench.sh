#!/usr/bin/env bash
# Benchmarks of `galley validate` (whole process, hyperfine medians):
#  1. a generated 5,000-node cluster snapshot against a full recipe (EKS + H100 + training: every
#     component, health check and advisory), next to `jq . >/dev/null` parsing the same file
#     (target: galley under 1.5x jq);
#  2. a fleet of 10,000 single-node snapshots (made from the real H100 node fixture) in one folder.
# Usage: bench/validate_bench.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
GALLEY=$PWD/$BUILD/cli/galley
F=tests/fixtures/snapshot
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1795000000

"$GALLEY" recipe --service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34 \
  --log-level error --format json -o "$T/recipe.json"

# kubectl and helm output for 5,000 GPU nodes running exactly what the recipe locks.
python3 - "$F/eks-cluster/nodes.json" "$T/recipe.json" "$T" <<'EOF'
import json, sys
nodes, recipe, out = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
proto = nodes["items"][0]
items = []
for i in range(5000):
    n = json.loads(json.dumps(proto))
    name = "ip-10-%d-%d-%d.ec2.internal" % (i // 65536, (i // 256) % 256, i % 256)
    n["metadata"]["name"] = name
    n["metadata"]["labels"]["kubernetes.io/hostname"] = name
    n["spec"]["providerID"] = "aws:///us-east-1a/i-%017x" % i
    n["status"]["addresses"] = [{"type": "InternalIP", "address": "10.%d.%d.%d" % (i // 65536, (i // 256) % 256, i % 256)},
                                {"type": "Hostname", "address": name}]
    items.append(n)
json.dump({"apiVersion": "v1", "kind": "List", "items": items}, open(out + "/nodes.json", "w"))
comps = recipe["spec"]["components"]
json.dump([{"name": c["name"], "namespace": c["namespace"], "chart": c.get("chart", c["name"]) + "-" + c["version"],
            "status": "deployed", "app_version": c["version"]} for c in comps if c["type"] == "helm"],
          open(out + "/releases.json", "w"))
objs = []
for c in comps:
    for h in c["healthChecks"]:
        o = {"kind": h["kind"], "metadata": {"name": h["name"]}, "spec": {"replicas": 1},
             "status": {"readyReplicas": 1, "numberReady": 5000, "desiredNumberScheduled": 5000,
                        "conditions": [{"type": "Established", "status": "True"}, {"type": "Available", "status": "True"}]}}
        if "namespace" in h:
            o["metadata"]["namespace"] = h["namespace"]
        objs.append(o)
json.dump({"apiVersion": "v1", "kind": "List", "items": objs}, open(out + "/objects.json", "w"))
EOF
printf 'kubernetes_feature_enabled{name="InPlacePodVerticalScaling",stage="BETA"} 1\n' > "$T/metrics.txt"
jq '.serverVersion.gitVersion = "v1.34.2-eks-113cf36"' "$F/eks-cluster/version.json" > "$T/version.json"
"$GALLEY" snapshot --skip-node --from-kubectl-json "$T/nodes.json" --kubectl-version "$T/version.json" \
  --helm-releases "$T/releases.json" --objects-json "$T/objects.json" --metrics "$T/metrics.txt" \
  --format json -o "$T/cluster.json"
"$GALLEY" validate --recipe "$T/recipe.json" --snapshot "$T/cluster.json" >/dev/null || true
echo "== 5,000-node cluster snapshot: $(wc -c < "$T/cluster.json") bytes, $(jq '[.spec.snapshots[0].results[]] | length' \
  <("$GALLEY" validate --recipe "$T/recipe.json" --snapshot "$T/cluster.json" --format json || true)) checks" \
  "(verdict: $("$GALLEY" validate --recipe "$T/recipe.json" --snapshot "$T/cluster.json" --format json | jq -r .spec.verdict || true))"
hyperfine --warmup 2 --runs 15 -N --export-json "$T/cluster-bench.json" \
  "$GALLEY validate --recipe $T/recipe.json --snapshot $T/cluster.json --format json" \
  "jq . $T/cluster.json" >/dev/null
jq -r '.results[] | "\(.command | split(" ")[0] | split("/")[-1]): median \(.median * 1000 | . * 10 | round / 10) ms"' \
  "$T/cluster-bench.json"
jq -r '"ratio galley / jq: \(.results[0].median / .results[1].median | . * 100 | round / 100) (target < 1.5)"' \
  "$T/cluster-bench.json"
read -r _ _ rss < <(python3 tests/cli/measure.py /dev/null /dev/null "$GALLEY" validate --recipe "$T/recipe.json" \
  --snapshot "$T/cluster.json")
echo "galley validate peak RSS: ${rss} MB"

echo "== fleet of 10,000 single-node snapshots"
"$GALLEY" snapshot --root "$F/h100-node-real/root" --nvidia-smi-xml "$F/h100-node-real/nvidia-smi-q-x.xml" \
  --format json -o "$T/node.json"
mkdir -p "$T/fleet"
python3 - "$T/node.json" "$T/fleet" <<'EOF'
import json, sys
node = json.load(open(sys.argv[1]))
for i in range(10000):
    node["spec"]["node"]["hostname"] = "sha256:%016x" % i
    with open("%s/node-%05d.json" % (sys.argv[2], i), "w") as f:
        json.dump(node, f)
EOF
"$GALLEY" validate --recipe "$T/recipe.json" --snapshot "$T/fleet" --allow could-not-verify | tail -2
hyperfine --warmup 1 --runs 5 -N --export-json "$T/fleet-bench.json" \
  "$GALLEY validate --recipe $T/recipe.json --snapshot $T/fleet --allow could-not-verify --format json" >/dev/null
jq -r '.results[0] | "fleet of 10,000: median \(.median | . * 100 | round / 100) s, \((.median * 100 | round) / 1000) ms per snapshot"' \
  "$T/fleet-bench.json"
