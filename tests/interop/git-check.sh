#!/usr/bin/env bash
# git-check.sh: a GitOps repository as a real git client sees it.
# Usage: git-check.sh REPO_URL BRANCH [PATH...]: the server advertises refs/heads/BRANCH; a clone with
# transfer.fsckObjects checks every object received; `git fsck --full --strict` passes; the clone's tip
# is the advertised one, with an author, a committer and a message; each PATH is in the tip's tree.
set -uo pipefail
url=${1:?usage: git-check.sh REPO_URL BRANCH [PATH...]}; branch=${2:?usage: git-check.sh REPO_URL BRANCH [PATH...]}; shift 2
work=$(mktemp -d "${TMPDIR:-/tmp}/galley-git.XXXXXX"); trap 'rm -rf "$work"' EXIT
failed=0
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
tip=$(git ls-remote "$url" "refs/heads/$branch" | cut -f1)
[ -n "$tip" ] || fail "ls-remote: no refs/heads/$branch"
git -c transfer.fsckObjects=true clone -q --branch "$branch" "$url" "$work/c" || { fail "git clone"; exit 1; }
git -C "$work/c" fsck --full --strict --no-progress || fail "git fsck --strict"
[ "$(git -C "$work/c" rev-parse HEAD)" = "$tip" ] || fail "the clone's tip is not the advertised one"
[ -n "$(git -C "$work/c" log -1 --format='%an%ae%cn%ce')" ] && [ -n "$(git -C "$work/c" log -1 --format=%s)" ] ||
  fail "the tip lacks an author, a committer or a message"
for p in "$@"; do git -C "$work/c" cat-file -e "HEAD:$p" 2>/dev/null || fail "$p is not in the tip's tree"; done
git -C "$work/c" log -1 --format='%h %an: %s' 
[ "$failed" = 0 ] && echo "git: ${tip:0:12} sound"
