#!/usr/bin/env bash
# Black-box tests of the real galley binary: one function per behaviour, each asserting the exit
# code, the message, and that nothing was written. Usage: blackbox.sh GALLEY SOURCE_DIR [sanitized]
set -uo pipefail
GALLEY=$1
SRC=$2
SANITIZED=${3:-}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
H100=(--service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34)

# shellcheck source=tests/lib.sh
source "$SRC/tests/lib.sh"
# The environment's defaults for global options are tested on purpose, never inherited.
unset NO_COLOR GALLEY_NO_COLOR GALLEY_DATA GALLEY_LOG_LEVEL

run() { measured_run "$@"; }  # tests/lib.sh: exit code, 10 s and 100 MB bounds
untouched() { [ "$(cat "$T/keep.yaml")" = "precious" ] && ok || bad "output file was changed"; }
keep() { echo precious > "$T/keep.yaml"; }
data_dir() { rm -rf "$T/data"; mkdir -p "$T/data/overlays" "$T/data/components" "$T/data/values"; }
overlay() {  # overlay NAME BODY
  printf 'apiVersion: galley.dev/v1alpha1\nkind: Overlay\nmetadata:\n  name: %s\nspec:\n%s\n' "$1" "$2" > "$T/data/overlays/$1.yaml"
}

begin recipe_prints_a_recipe
run 0 recipe "${H100[@]}"
grep -q '^kind: Recipe$' "$T/out" && ok || bad "no Recipe on stdout"

begin recipe_is_byte_identical_across_runs
run 0 recipe "${H100[@]}" -o "$T/a.yaml"
run 0 recipe "${H100[@]}" -o "$T/b.yaml"
cmp -s "$T/a.yaml" "$T/b.yaml" && ok || bad "two runs differ"

begin golden_recipes_match_byte_for_byte
for golden in "$SRC"/tests/golden/*.yaml "$SRC"/tests/golden/leaves/*.yaml; do
  name=${golden%.yaml}
  args=$(sed -n 's/^# args: //p' "$name.args")
  name=${name#"$SRC"/tests/golden/}
  # shellcheck disable=SC2086
  run 0 recipe $args --log-level error -o "$T/g.yaml"
  cmp -s "$golden" "$T/g.yaml" && ok || bad "$name differs from its golden file (regenerate with tests/golden/update.sh)"
done

begin every_leaf_has_a_golden_recipe
run 0 catalog --format json
leaves=$(jq -r '.overlays[] | select(.leaf) | .name' "$T/out" | sort)
goldens=$(cd "$SRC/tests/golden/leaves" && ls -- *.yaml | sed 's/\.yaml$//' | sort)
[ -n "$leaves" ] && [ "$leaves" = "$goldens" ] && ok || bad "leaves and tests/golden/leaves differ: $(diff <(echo "$leaves") <(echo "$goldens") | head -5)"

begin recipe_unknown_accelerator
keep
run 2 recipe --service eks --accelerator h10 --intent training -o "$T/keep.yaml"
err_has 'accelerator: unknown value "h10"; allowed: h100, h200, b200, gb200, gb300, a100, l40s, rtx-pro-6000, mi300x, tpu; did you mean "h100"?'
untouched

begin recipe_unsatisfiable_explains_why
keep
run 4 recipe --service gke --accelerator gb200 --os cos --intent inference --kubernetes 1.31 --allow-partial -o "$T/keep.yaml"
err_has "nvidia-dra-driver-gpu 25.12.0 requires kubernetes >=1.34; criteria say 1.31"
untouched

begin recipe_no_matching_overlay_is_not_found
run 3 recipe --intent inference
one_error_line

begin criteria_file_malformed_yaml
printf 'apiVersion: galley.dev/v1alpha1\nkind: Criteria\nspec: [service: eks\n' > "$T/c.yaml"
keep
run 2 recipe --criteria "$T/c.yaml" -o "$T/keep.yaml"
err_has "$T/c.yaml:"
untouched

begin criteria_file_wrong_kind
printf 'apiVersion: galley.dev/v1alpha1\nkind: Recipe\nspec: {service: eks}\n' > "$T/c.yaml"
run 2 recipe --criteria "$T/c.yaml"
err_has "$T/c.yaml:2: kind: \"Recipe\": expected Criteria"

begin criteria_file_wrong_api_version
printf 'apiVersion: galley.dev/v2\nkind: Criteria\nspec: {service: eks}\n' > "$T/c.yaml"
run 2 recipe --criteria "$T/c.yaml"
err_has "$T/c.yaml:1: apiVersion: \"galley.dev/v2\" is not supported"

begin criteria_file_unknown_field
printf 'apiVersion: galley.dev/v1alpha1\nkind: Criteria\nspec:\n  service: eks\n  acelerator: h100\n' > "$T/c.yaml"
run 2 recipe --criteria "$T/c.yaml"
err_has "$T/c.yaml:5: spec.acelerator: unknown field"

begin criteria_flags_override_the_file
printf 'apiVersion: galley.dev/v1alpha1\nkind: Criteria\nspec:\n  service: gke\n  intent: training\n  kubernetes: "1.34"\n' > "$T/c.yaml"
run 0 query --selector criteria.service --criteria "$T/c.yaml" --service eks
out_is eks

begin criteria_file_missing
run 3 recipe --criteria "$T/nope.yaml"
err_has "$T/nope.yaml: no such file"

begin data_base_cycle
data_dir
overlay mine-a "  base: mine-b
  criteria: {service: eks}"
overlay mine-b "  base: mine-a"
run 2 --data "$T/data" recipe --service eks
err_has "base cycle: mine-a -> mine-b -> mine-a"

begin data_dependency_cycle
data_dir
for pair in "x y" "y x"; do
  set -- $pair
  printf 'apiVersion: galley.dev/v1alpha1\nkind: Component\nmetadata:\n  name: %s\nspec:\n  type: manifest\n  namespace: default\n  versions:\n    - version: "1"\n      requires: {components: {%s: "*"}}\n' "$1" "$2" > "$T/data/components/$1.yaml"
done
overlay mine "  criteria: {service: kind}
  componentRefs: [{name: x}, {name: y}]"
run 4 --data "$T/data" recipe --service kind
err_has "dependency cycle: x -> y -> x"

begin data_values_path_escapes_root
data_dir
overlay mine "  criteria: {service: kind}
  componentRefs:
    - name: cert-manager
      valuesFiles: [../../etc/passwd]"
keep
run 2 --data "$T/data" recipe --service kind -o "$T/keep.yaml"
err_has 'spec.componentRefs[0].valuesFiles[0]: path "../../etc/passwd" escapes the catalog root'
untouched

begin data_symlink_refused
data_dir
ln -s /etc/passwd "$T/data/values/x.yaml"
run 2 --data "$T/data" recipe --service eks
err_has "symbolic links are not allowed"

begin data_missing_folder
run 3 --data "$T/none" catalog
err_has "no such catalog folder"

begin alias_bomb_fails_fast
{
  echo 'apiVersion: galley.dev/v1alpha1'
  echo 'kind: Criteria'
  echo 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
  prev=a
  for n in b c d e f g h i; do
    echo "$n: &$n [*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev]"
    prev=$n
  done
} > "$T/bomb.yaml"
keep
run 2 recipe --criteria "$T/bomb.yaml" -o "$T/keep.yaml"
err_has "alias bomb"
untouched

begin deep_nesting_fails_fast
python3 -c "print('apiVersion: galley.dev/v1alpha1'); print('kind: Criteria'); print('spec: ' + '['*10000 + ']'*10000)" > "$T/deep.yaml"
run 2 recipe --criteria "$T/deep.yaml"
one_error_line

begin huge_file_refused_before_reading
truncate -s 200M "$T/huge.yaml"
keep
run 2 recipe --criteria "$T/huge.yaml" -o "$T/keep.yaml"
err_has "the limit is 67108864"
untouched

begin output_under_a_file_fails_cleanly
# Missing folders are created (output_creates_missing_parent_folders); a file in the way is exit 5.
echo file > "$T/a-file"
run 5 recipe "${H100[@]}" -o "$T/a-file/dir/r.yaml"
err_has 'cannot create the folder'
absent "$T/a-file/dir"

begin query_scalar_and_missing_path
run 0 query --selector components.gpu-operator.values.driver.enabled "${H100[@]}"
out_is true
run 3 query --selector components.gpu-operator.values.nope "${H100[@]}"
err_has '"components.gpu-operator.values.nope" is not in the recipe'

begin query_reads_a_recipe_and_checks_its_digest
run 0 recipe "${H100[@]}" -o "$T/r.yaml"
run 0 query --selector deploymentOrder[1] --recipe "$T/r.yaml"
out_is aws-efa-k8s-device-plugin
sed 's/580.95.05/580.95.06/' "$T/r.yaml" > "$T/tampered.yaml"
run 2 query --selector deploymentOrder[0] --recipe "$T/tampered.yaml"
err_has "does not match the recipe's content"

begin explain_shows_provenance
run 0 explain components.gpu-operator.values.migManager.enabled "${H100[@]}"
grep -q "set by   recipes/values/gpu-operator/training.yaml:4  false" "$T/out" && ok || bad "no provenance: $(cat "$T/out")"
grep -q "replaced recipes/values/gpu-operator/base.yaml:39  true" "$T/out" && ok || bad "no history: $(cat "$T/out")"

begin diff_training_vs_inference
cat > "$T/a.yaml" <<YAML
apiVersion: galley.dev/v1alpha1
kind: Criteria
spec: {service: gke, accelerator: gb200, os: cos, intent: inference, platform: dynamo, kubernetes: "v1.35.1-gke.1616000"}
YAML
run 0 recipe --service eks --intent training --kubernetes 1.34 -o "$T/b.yaml"
run 1 diff "$T/a.yaml" "$T/b.yaml"
grep -q "^  + karpenter" "$T/out" && ok || bad "diff lacks karpenter: $(cat "$T/out")"

begin unknown_command_and_flag_are_usage_errors
run 2 frobnicate
run 2 recipe --service eks --bogus
run 2 recipe --service eks --format xml

begin help_and_version
run 0 --help
grep -q "Exit codes:" "$T/out" && ok || bad "help lacks exit codes"
run 0 version
grep -q "^galley " "$T/out" && ok || bad "no version"

begin diff_reads_named_pipes
mkfifo "$T/p1" "$T/p2" "$T/p3"
"$GALLEY" recipe "${H100[@]}" --log-level error > "$T/p1" &
"$GALLEY" recipe --service eks --accelerator h100 --os ubuntu --intent inference --platform dynamo --kubernetes 1.34 \
  --log-level error > "$T/p2" &
run 1 diff "$T/p1" "$T/p2"
wait
grep -q "^  + dynamo-platform" "$T/out" && ok || bad "diff lacks dynamo-platform: $(head -c 600 "$T/out")"
head -c 70000000 /dev/zero > "$T/p3" 2>/dev/null &
run 2 recipe --criteria "$T/p3"
err_has "the limit is"
wait || true

begin catalog_lists_leaves
run 0 catalog
grep -q "eks-h100-ubuntu-training-kubeflow \[preview\]: --accelerator h100 --intent training --os ubuntu --platform kubeflow --service eks" "$T/out" && ok || bad "$(cat "$T/out")"

begin bundle_is_byte_identical_across_runs
for d in helm argocd flux; do
  run 0 bundle "${H100[@]}" --deployer $d -o "$T/$d-a" --repo-url https://git.example.com/g.git --log-level error
  run 0 bundle "${H100[@]}" --deployer $d -o "$T/$d-b" --repo-url https://git.example.com/g.git --log-level error
  diff -r "$T/$d-a" "$T/$d-b" >/dev/null && ok || bad "$d bundles differ"
  [ "$(cd "$T/$d-a" && find . -type f -printf '%m %p\n' | sort)" = "$(cd "$T/$d-b" && find . -type f -printf '%m %p\n' | sort)" ] \
    && ok || bad "$d modes differ"
done

begin bundle_replaces_only_with_force
run 2 bundle "${H100[@]}" --deployer helm -o "$T/helm-a"
err_has "--force: $T/helm-a already holds a bundle; replacing it needs this option"
run 0 bundle "${H100[@]}" --deployer helm -o "$T/helm-a" --force --set gpu-operator:driver.enabled=false --log-level error
grep -q "enabled: false" "$T"/helm-a/*-gpu-operator/values.yaml && ok || bad "--force did not replace"

begin bundle_bad_recipe_digest
run 0 recipe "${H100[@]}" -o "$T/r.yaml"
sed 's/580.95.05/580.95.06/' "$T/r.yaml" > "$T/tampered.yaml"
run 2 bundle --recipe "$T/tampered.yaml" --deployer helm -o "$T/bad1"
err_has "does not match the recipe's content"
absent "$T/bad1"

begin bundle_recipe_errors_name_the_line
# Recipes are read by the fast libyaml path; a recipe it refuses is read again by core::parse_yaml for lines.
run 0 recipe "${H100[@]}" -o "$T/r.yaml"
sed 's/^spec:$/spec:\n  bogus: 1/' "$T/r.yaml" > "$T/unknown.yaml"
run 2 bundle --recipe "$T/unknown.yaml" --deployer helm -o "$T/bad5"
err_has "unknown.yaml:7: spec.bogus: unknown field"
absent "$T/bad5"
{ echo "x: &a 1"; cat "$T/r.yaml"; } > "$T/anchored.yaml"   # an anchor: parse_yaml reads it, schema refuses x
run 2 bundle --recipe "$T/anchored.yaml" --deployer helm -o "$T/bad5"
err_has "anchored.yaml:1: x: unknown field"

begin bundle_recipe_of_wrong_kind
run 2 bundle --recipe "$SRC/examples/criteria/eks-h100-training.yaml" --deployer helm -o "$T/bad2"
err_has 'kind: "Criteria": expected Recipe'
absent "$T/bad2"

begin bundle_unknown_deployer
run 2 bundle "${H100[@]}" --deployer kustomize -o "$T/bad3"
absent "$T/bad3"

begin bundle_set_on_missing_component_or_type_conflict
run 2 bundle "${H100[@]}" --deployer helm -o "$T/bad4" --set dynamo-platform:replicas=2
err_has 'component "dynamo-platform" is not in the recipe'
run 2 bundle "${H100[@]}" --deployer helm -o "$T/bad4" --set gpu-operator:driver=off
err_has "type conflict: the chart's value here is a map"
absent "$T/bad4"

begin bundle_output_is_a_file_or_foreign_folder
keep
run 2 bundle "${H100[@]}" --deployer helm -o "$T/keep.yaml"
err_has "exists and is not a folder"
untouched
mkdir -p "$T/mine" && echo precious > "$T/mine/keep.yaml"
run 2 bundle "${H100[@]}" --deployer helm -o "$T/mine" --force
err_has "not a Galley bundle; it was left untouched"
[ "$(ls "$T/mine")" = "keep.yaml" ] && ok || bad "foreign folder changed"

begin bundle_read_only_destination
run 5 bundle "${H100[@]}" --deployer helm -o /proc/galley-bundle
one_error_line

begin bundle_template_with_unknown_variable
mkdir -p "$T/tpl/helm"
printf '#!/bin/sh\necho {{recipeNmae}}\n' > "$T/tpl/helm/deploy.sh.mustache"
run 2 bundle "${H100[@]}" --deployer helm -o "$T/bad5" --templates "$T/tpl"
err_has "template helm/deploy.sh: variable {{recipeNmae}} has no value"
absent "$T/bad5"
printf 'x\n' > "$T/tpl/helm/deploy.sh.orig"
run 2 bundle "${H100[@]}" --deployer helm -o "$T/bad5" --templates "$T/tpl"
err_has "not a template name"
absent "$T/bad5"

begin lint_is_clean_and_catches_unknown_keys
run 0 lint
data_dir
printf 'apiVersion: galley.dev/v1alpha1\nkind: OverlayPatch\nmetadata:\n  name: eks\nspec:\n  componentRefs:\n    - name: gpu-operator\n      values:\n        drvier:\n          enabled: false\n' > "$T/data/overlays/eks.yaml"
run 1 --data "$T/data" lint
err_has "$T/data/overlays/eks.yaml:9: spec.componentRefs[0].values.drvier: key \"drvier\" does not exist in gpu-operator's upstream values.yaml"

begin catalog_stats_counts_components_and_values
run 0 catalog --stats
grep -Eq "^eks-h100-ubuntu-training-kubeflow +[0-9]+ +[0-9]+ +preview +[a-z0-9,-]*l40s[a-z0-9,-]*$" "$T/out" && ok || bad "$(cat "$T/out")"

begin bundle_set_typo_is_refused_with_the_closest_key
run 2 bundle "${H100[@]}" --deployer helm -o "$T/typo" --set gpu-operator:driver.enabld=false
err_has '--set gpu-operator:driver.enabld=false: key "driver.enabld" does not exist in gpu-operator'"'"'s upstream chart values; did you mean "driver.enabled"?'
absent "$T/typo"
printf 'drvier:\n  enabled: false\n' > "$T/typo-values.yaml"
run 2 bundle "${H100[@]}" --deployer helm -o "$T/typo" --values "gpu-operator:$T/typo-values.yaml"
err_has 'did you mean "driver"?'
absent "$T/typo"

begin bundle_set_unchecked_is_accepted_and_listed
run 0 bundle "${H100[@]}" --deployer helm -o "$T/unchecked" --set-unchecked gpu-operator:driver.newOption=true
grep -q "newOption: true" "$T"/unchecked/*-gpu-operator/values.yaml && ok || bad "value not written"
grep -qF -- '- `gpu-operator:driver.newOption=true`' "$T/unchecked/README.md" && ok || bad "README lacks the key"

begin bundle_set_below_a_free_form_map_is_accepted
run 0 bundle "${H100[@]}" --deployer helm -o "$T/freeform" --set 'gpu-operator:daemonsets.labels.team=gpu'
grep -q "team: gpu" "$T"/freeform/*-gpu-operator/values.yaml && ok || bad "label not written"
run 2 bundle "${H100[@]}" --deployer helm -o "$T/freeform2" --set 'gpu-operator:daemonsets.labelz.team=gpu'
err_has 'did you mean "daemonsets.labels"?'

begin bundle_set_against_the_chart_values_schema
run 2 bundle "${H100[@]}" --deployer helm -o "$T/schema" --set cert-manager:replicaCount=many
err_has "cert-manager's values schema refuses the result: replicaCount: \"many\" has the wrong type"
absent "$T/schema"

begin diff_lists_the_kubernetes_version_and_exits_1_when_recipes_differ
run 0 recipe --service eks --intent training --kubernetes 1.33 -o "$T/k33.yaml"
run 0 recipe --service eks --intent training --kubernetes 1.34 -o "$T/k34.yaml"
run 1 diff "$T/k33.yaml" "$T/k34.yaml"
out_has "criteria.kubernetes: 1.33 -> 1.34"
run 1 diff "$T/k33.yaml" "$T/k34.yaml" --format json
check "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[\"differ\"] and d[\"fields\"][0][\"path\"]==\"criteria.kubernetes\"' '$T/out'" "json lacks the kubernetes field"

begin diff_of_identical_recipes_exits_0
run 0 recipe --service eks --intent training --kubernetes 1.34 -o "$T/same.yaml"
run 0 diff "$T/same.yaml" "$T/same.yaml"
out_has "other fields (0 differ)"

begin advisory_warns_only_when_it_changed_the_choice
run 0 recipe --service eks --intent training --kubernetes 1.34
grep -q "karpenter-1-11-0-cpu-regression" "$T/out" && ok || bad "spec.advisories lost the record"
grep -qF "advisory karpenter-1-11-0-cpu-regression" "$T/err" && bad "warned though 1.14.1 was chosen: $(cat "$T/err")" || ok
data_dir
printf 'apiVersion: galley.dev/v1alpha1\nkind: OverlayPatch\nmetadata:\n  name: eks\nspec:\n  componentRefs:\n    - name: karpenter\n      version: "<1.11.1"\n' > "$T/data/overlays/eks.yaml"
run 0 --data "$T/data" recipe --service eks --intent training --kubernetes 1.34
err_has "advisory karpenter-1-11-0-cpu-regression: excluded karpenter 1.11.0"

begin criteria_uncovered_platform_is_not_found
keep
run 3 recipe --service gke --accelerator h100 --intent inference --platform dynamo -o "$T/keep.yaml"
err_has "no overlay of the catalog covers platform dynamo with these criteria"
err_has "gke-h100-cos-inference-dynamo: add os cos"
err_has "gke-h100-ubuntu-inference-dynamo: add os ubuntu"
untouched
run 3 recipe --service gke --accelerator gb200 --os ubuntu
err_has "covers accelerator gb200, os ubuntu with these criteria"
run 3 query --selector digest --service gke --accelerator h100 --intent inference --platform dynamo
run 3 explain criteria.service --service gke --accelerator h100 --intent inference --platform dynamo
run 3 bundle --service gke --accelerator h100 --intent inference --platform dynamo --deployer helm -o "$T/nb"
absent "$T/nb"

begin criteria_allow_partial_says_so_in_the_recipe
run 0 recipe --service gke --accelerator h100 --intent inference --platform dynamo --allow-partial --format json -o "$T/p.json"
[ "$(jq -c .spec.partial "$T/p.json")" = '{"uncovered":["platform"]}' ] && ok || bad "spec.partial: $(jq -c .spec.partial "$T/p.json")"
[ "$(jq -r .metadata.name "$T/p.json")" = "gke-h100-inference" ] && ok || bad "name $(jq -r .metadata.name "$T/p.json")"
run 0 query --selector criteria.platform --service gke --accelerator h100 --intent inference --platform dynamo --allow-partial
out_is dynamo
run 0 explain criteria.platform --service gke --accelerator h100 --intent inference --platform dynamo --allow-partial
printf 'apiVersion: galley.dev/v1alpha1\nkind: Criteria\nspec: {service: gke, accelerator: h100, intent: inference, platform: dynamo}\n' > "$T/pc.yaml"
run 3 diff "$T/pc.yaml" "$T/p.json"
run 0 diff "$T/pc.yaml" "$T/p.json" --allow-partial

begin bundle_refuses_a_partial_recipe
run 0 recipe --service gke --accelerator h100 --intent inference --platform dynamo --allow-partial -o "$T/p.yaml"
run 2 bundle --recipe "$T/p.yaml" --deployer helm -o "$T/pb"
err_has "the recipe is partial: it does not honour platform"
absent "$T/pb"
run 0 bundle --recipe "$T/p.yaml" --deployer helm -o "$T/pb" --allow-partial --log-level error
[ -d "$T/pb" ] && ok || bad "no bundle"

begin criteria_registry_forbids_os_on_another_service
keep
run 2 recipe --os al2023 --service gke -o "$T/keep.yaml"
err_has "recipes/registry.yaml:"
err_has "spec.criteria.os[1].services: os al2023 goes with service eks only; the criteria give service gke"
untouched
run 2 recipe --service eks --intent training --platform dynamo
err_has "spec.criteria.platform[1].intents: platform dynamo goes with intent inference only; the criteria give intent training"

begin criteria_registry_rules_extend_in_a_layer
data_dir
printf 'apiVersion: galley.dev/v1alpha1\nkind: Registry\nmetadata:\n  name: mine\nspec:\n  criteria:\n    os:\n      - {name: al2023, description: "AL2023 on GKE", services: [gke]}\n' > "$T/data/registry.yaml"
run 0 --data "$T/data" recipe --service gke --accelerator h100 --intent inference --os al2023 --allow-partial --log-level error
run 3 --data "$T/data" recipe --service gke --accelerator h100 --intent inference --os al2023
err_has "no overlay of the catalog covers os al2023"

begin criteria_values_are_case_insensitive
run 0 recipe --service GKE --accelerator H100 --os Cos --intent INFERENCE --platform Dynamo --format json -o "$T/ci.json"
[ "$(jq -r .metadata.name "$T/ci.json")" = "gke-h100-cos-inference-dynamo" ] && ok || bad "name $(jq -r .metadata.name "$T/ci.json")"
run 0 recipe --service gke --accelerator h100 --os cos --intent inference --platform dynamo --format json -o "$T/cl.json"
same "$T/ci.json" "$T/cl.json"

begin criteria_suggestion_counts_a_swap_as_one_edit
run 2 recipe --service gek
err_has 'did you mean "gke"?'

begin readme_examples_work_as_written
# Every recipe, query, explain and diff line of the README, in order, in a folder with its examples
# (lines reading a snapshot or using process substitution need files or a shell the README describes).
# Each exits 0, except diff, which exits 1 for recipes that differ (as diff(1)) and says so.
mkdir -p "$T/readme" && cp -r "$SRC/examples" "$T/readme/"
grep -E '^galley (recipe|explain|query|diff) ' "$SRC/README.md" | grep -v -e '--snapshot' -e '<(' | sed 's/ *#.*$//' |
  while read -r line; do
    # shellcheck disable=SC2086
    (cd "$T/readme" && "$GALLEY" ${line#galley } --log-level error >"$T/out" 2>"$T/err"); rc=$?
    if [ "$rc" = 0 ] || { [ "$rc" = 1 ] && [ "${line#galley diff }" != "$line" ] && [ -s "$T/out" ] && [ ! -s "$T/err" ]; }; then
      echo "ok $line"
    else
      echo "bad: $line: exit $rc: $(head -c 300 "$T/err")"
    fi
  done > "$T/readme.txt"
[ "$(grep -c '^ok' "$T/readme.txt")" -ge 5 ] && ! grep -q '^bad' "$T/readme.txt" && ok || bad "$(cat "$T/readme.txt")"

begin mistyped_command_suggests_the_closest
run 2 receipe
err_has 'unknown command "receipe"; did you mean "recipe"?'
run 2 help nope
err_has 'unknown command "nope"'

begin mistyped_flag_suggests_the_closest
run 2 recipe --acelerator h100 --service eks
err_has 'did you mean --accelerator?'

begin help_command_version_flag_and_dash_h
run 0 help recipe
out_has 'Usage: galley recipe'
run 0 recipe -h
out_has 'Usage: galley recipe'
run 0 --version
out_has 'galley '
run 0 help
out_has 'Environment'

begin help_shows_no_parser_internals
cmds=$("$GALLEY" --help | sed -n '/^Subcommands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
[ "$(echo "$cmds" | wc -l)" -ge 17 ] && ok || bad "galley --help lists too few commands: $cmds"
for cmd in $cmds; do
  "$GALLEY" "$cmd" --help > "$T/help.txt" 2>&1
  grep -qE -- '->|\{' "$T/help.txt" && bad "galley $cmd --help shows parser internals: $(grep -E -- '->|\{' "$T/help.txt" | head -2)" || ok
done

begin format_refuses_numbers
run 2 recipe "${H100[@]}" --format 1
run 2 validate --recipe x --snapshot y --format 0
run 2 validate --recipe x --snapshot y --scope 1

begin environment_sets_global_defaults
data_dir
GALLEY_DATA="$T/data:$T/nowhere" run 3 catalog
err_has "$T/nowhere: no such catalog folder"
GALLEY_DATA="$T/nowhere" run 0 --data "$T/data" catalog
GALLEY_LOG_LEVEL=error run 0 recipe --service eks --intent training --kubernetes 1.34 --accelerator h100 --os ubuntu --platform kubeflow
[ ! -s "$T/err" ] && ok || bad "GALLEY_LOG_LEVEL=error still warned: $(head -c 300 "$T/err")"
GALLEY_LOG_LEVEL=bogus run 2 catalog
err_has 'GALLEY_LOG_LEVEL: "bogus" is not one of'
"$GALLEY" --help > "$T/help.txt"
grep -q 'GALLEY_DATA' "$T/help.txt" && grep -q 'NO_COLOR' "$T/help.txt" && ok || bad "--help does not document the environment"

begin no_color_and_colour_only_on_a_terminal
# stderr on a pseudo-terminal: red "error:" unless NO_COLOR, GALLEY_NO_COLOR or --no-color.
tty_err() { python3 - "$GALLEY" "$@" <<'PY'
import os, pty, subprocess, sys
master, slave = pty.openpty()
subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
os.close(slave)
print(repr(os.read(master, 4096)))
PY
}
tty_err receipe | grep -q '1;31m' && ok || bad "no colour on a terminal"
NO_COLOR=1 tty_err receipe | grep -q '1;31m' && bad "NO_COLOR=1 still coloured" || ok
GALLEY_NO_COLOR=1 tty_err receipe | grep -q '1;31m' && bad "GALLEY_NO_COLOR=1 still coloured" || ok
tty_err --no-color receipe | grep -q '1;31m' && bad "--no-color still coloured" || ok
run 2 receipe
grep -q $'\033' "$T/err" && bad "coloured on a pipe" || ok

begin output_flag_refuses_a_format_name
for f in json yaml table; do
  (cd "$T" && rm -f "$f" && "$GALLEY" recipe "${H100[@]}" -o "$f" > out 2> err); rc=$?
  [ "$rc" = 2 ] && ok || bad "-o $f: exit $rc"
  err_has "did you mean --format $f?"
  absent "$T/$f"
done
(cd "$T" && "$GALLEY" recipe "${H100[@]}" --log-level error -o ./json) && [ -s "$T/json" ] && ok || bad "-o ./json did not write a file named json"
rm -f "$T/json"
(cd "$T" && "$GALLEY" bundle "${H100[@]}" --deployer helm -o yaml > out 2> err); rc=$?
[ "$rc" = 2 ] && ok || bad "bundle -o yaml: exit $rc"
absent "$T/yaml"

begin output_creates_missing_parent_folders
rm -rf "$T/deep"
run 0 recipe "${H100[@]}" --log-level error -o "$T/deep/a/recipe.yaml"
grep -q '^kind: Recipe$' "$T/deep/a/recipe.yaml" && ok || bad "no recipe written under missing folders"
run 0 bundle "${H100[@]}" --log-level error --deployer helm -o "$T/deep/b/helm"
[ -f "$T/deep/b/helm/bundle.yaml" ] && ok || bad "no bundle written under missing folders"
# ... and removed again when the command fails after making them.
run 2 bundle "${H100[@]}" --log-level error --deployer helm -o "$T/deep/c/d/helm" --set nope:x=1
absent "$T/deep/c"
run 2 bundle "${H100[@]}" --log-level error --deployer argocd -o "$T/deep/e/f/argocd"
absent "$T/deep/e"
run 0 keygen --out "$T/deep/c/key"
[ -f "$T/deep/c/key.pub" ] && ok || bad "no key written under missing folders"

begin completion_bash_completes_commands_flags_and_criteria
run 0 completion bash
cp "$T/out" "$T/galley.bash"
run 0 completion zsh
out_has 'bashcompinit'
run 0 completion fish
out_has "-l accelerator -x -a 'h100"
run 2 completion tcsh
complete_words() {  # complete_words WORD...: the completions of the last word
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _galley; echo "${COMPREPLY[*]}"' _ "$T/galley.bash" galley "$@"
}
[ "$(complete_words rec)" = "recipe" ] && ok || bad "rec -> '$(complete_words rec)'"
[ "$(complete_words recipe --acc)" = "--accelerator" ] && ok || bad "--acc -> '$(complete_words recipe --acc)'"
[ "$(complete_words recipe --accelerator '')" = "h100 h200 b200 gb200 gb300 a100 l40s rtx-pro-6000 mi300x tpu" ] && ok || bad "--accelerator values: '$(complete_words recipe --accelerator '')'"
[ "$(complete_words --data d bundle --service g)" = "gke generic" ] && ok || bad "--service g -> '$(complete_words --data d bundle --service g)'"
[ "$(complete_words recipe --format '')" = "table yaml json" ] && ok || bad "recipe --format -> '$(complete_words recipe --format '')'"
[ "$(complete_words catalog --format t)" = "table" ] && ok || bad "catalog --format t -> '$(complete_words catalog --format t)'"
[ "$(complete_words help bu)" = "bundle" ] && ok || bad "help bu -> '$(complete_words help bu)'"

begin templates_export_round_trips_through_templates
run 0 templates export "$T/tpl-export"
[ -f "$T/tpl-export/helm/deploy.sh.mustache" ] && [ -f "$T/tpl-export/argocd/application.yaml.mustache" ] && ok || bad "no templates written"
run 2 templates export "$T/tpl-export"
err_has "--force"
run 0 templates export "$T/tpl-export" --force
run 0 bundle "${H100[@]}" --log-level error --deployer helm -o "$T/tpl-plain"
run 0 bundle "${H100[@]}" --log-level error --deployer helm -o "$T/tpl-over" --templates "$T/tpl-export"
diff -r "$T/tpl-plain" "$T/tpl-over" >/dev/null && ok || bad "exported templates change the bundle"
echo not-a-folder > "$T/tpl-file"
run 2 templates export "$T/tpl-file"
err_has "tpl-file: exists and is not a folder"
run 5 templates export "$T/tpl-file/sub"   # a file where the parent folder should be: named, not an internal error
err_has "tpl-file/sub: the parent folder does not exist"
check '[ "$(cat "$T/tpl-file")" = not-a-folder ] && [ -z "$(ls -A "$T" | grep "^\.tpl")" ]' "a refused export wrote something"

begin argocd_destination_flags
git_at=(--repo-url https://git.example.com/gitops.git)
run 0 bundle "${H100[@]}" --log-level error --deployer argocd "${git_at[@]}" -o "$T/ad" \
  --argocd-project gpu --destination-name spoke-1 --argocd-namespace gitops
check 'grep -q "^    name: spoke-1$" "$T"/ad/*-gpu-operator/application.yaml' "no destination name"
check 'grep -q "^  project: gpu$" "$T"/ad/*-gpu-operator/application.yaml' "no project"
check 'grep -q "^  namespace: gitops$" "$T/ad/app-of-apps.yaml"' "root Application not in gitops"
check 'grep -q "destinationName: spoke-1" "$T/ad/bundle.yaml"' "destination not recorded"
run 2 bundle "${H100[@]}" --log-level error --deployer argocd "${git_at[@]}" -o "$T/ad2" \
  --destination-server https://spoke.example.com --destination-name spoke-1
absent "$T/ad2"
run 2 bundle "${H100[@]}" --log-level error --deployer helm -o "$T/ad3" --argocd-project gpu
err_has "--argocd-project"

begin deploy_sh_refuses_another_kube_context
run 0 bundle "${H100[@]}" --log-level error --deployer helm -o "$T/ctx" --kube-context prod
mkdir -p "$T/fakebin"
printf '#!/bin/sh\n[ "$1 $2" = "config current-context" ] && { echo staging; exit 0; }\necho "kubectl $*"\n' > "$T/fakebin/kubectl"
printf '#!/bin/sh\necho "helm $*"\n' > "$T/fakebin/helm"
chmod +x "$T/fakebin/kubectl" "$T/fakebin/helm"
PATH="$T/fakebin:$PATH" bash "$T/ctx/deploy.sh" >"$T/out" 2>"$T/err"; rc=$?
[ "$rc" = 2 ] && ok || bad "deploy.sh against context staging: exit $rc"
err_has "this bundle is for context prod, not staging"
check '! grep -q "^helm" "$T/out"' "helm ran before the refusal"
PATH="$T/fakebin:$PATH" bash "$T/ctx/deploy.sh" --kube-context prod >"$T/out" 2>"$T/err" && ok || bad "refused its own context"
out_has "--kube-context prod"
PATH="$T/fakebin:$PATH" bash "$T/ctx/deploy.sh" --any-context --dry-run >"$T/out" 2>"$T/err" && ok || bad "--any-context refused"
out_has "--dry-run=client"
run 0 bundle "${H100[@]}" --log-level error --deployer helm -o "$T/noctx"
PATH="$T/fakebin:$PATH" bash "$T/noctx/deploy.sh" >"$T/out" 2>"$T/err" && ok || bad "a bundle naming no context refused: $(cat "$T/err")"

finish cli_blackbox
