#!/usr/bin/env bash
# A GitOps pipeline step: criteria kept in git -> locked recipe -> signed Argo CD bundle -> a commit in
# the repository Argo CD watches, and the same bundle as an OCI artifact.
#
#   GALLEY=build/cli/galley examples/gitops-pipeline.sh examples/criteria/eks-h100-training.yaml \
#     https://git.example.com/platform/gitops.git clusters/prod signing.key oci://registry.example.com/gpu/prod:v1
#
# Every step fails closed: a non-zero exit stops the pipeline before anything is published.
set -euo pipefail
GALLEY=${GALLEY:-galley}
criteria=$1   # a Criteria file kept in git
repo=$2       # the GitOps repository Argo CD reads
path=$3       # where this cluster's bundle lives in it
key=$4        # private key PEM (galley keygen --out signing)
oci=${5:-}    # optional: also publish as an OCI artifact
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}

"$GALLEY" lint                                                    # the catalog itself is sound
"$GALLEY" recipe --criteria "$criteria" -o "$work/recipe.yaml"    # locked, digested
"$GALLEY" bundle --recipe "$work/recipe.yaml" --deployer argocd -o "$work/bundle" \
  --repo-url "$repo" --revision main --path "$path" --sign --key "$key"
"$GALLEY" verify "$work/bundle" --key "${key%.key}.pub"           # what we publish verifies
"$GALLEY" publish "$work/bundle" --git "$repo" --branch main --path "$path" \
  --message "GPU stack for $path"                                 # no commit when nothing changed
if [ -n "$oci" ]; then
  "$GALLEY" push "$work/bundle" "$oci"                            # prints the manifest digest
fi
