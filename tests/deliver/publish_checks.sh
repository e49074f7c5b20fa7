# galley publish against git's own daemon, smart HTTP and file://; sourced by blackbox.sh (uses
# its galley, eco, T, ok, bad, expect). Repositories are judged by git-check.sh (git clone with
# transfer.fsckObjects, git fsck --strict).
gitq() { git -c user.name=Other -c user.email=other@example.com -c init.defaultBranch=main "$@"; }
check_git() {
  if bash "$eco/git-check.sh" "$@" >cg.txt 2>&1; then ok "git-check.sh $1 $2 ($(tail -1 cg.txt))"; else bad "git-check.sh $*"; cat cg.txt; fi
}
tip() { git ls-remote "$1" "refs/heads/$2" | cut -f1; }

url=$(bash "$eco/git-server.sh" start "$T/git") || { bad "git daemon start"; return; }
repo=$(bash "$eco/git-server.sh" new-repo "$T/git" gitops)
# Someone else's files, on the branch and under the path.
gitq clone -q "$repo" seed 2>/dev/null
mkdir -p seed/other seed/clusters/prod
echo keep >seed/README.md; echo keep >seed/other/app.yaml; echo stale >seed/clusters/prod/stale.yaml; echo sib >seed/clusters/prod-2.yaml
gitq -C seed add -A && gitq -C seed commit -qm seed && gitq -C seed push -q origin main 2>/dev/null
before=$(tip "$repo" main)
# An Argo CD bundle rendered for where it will live: repository, branch, path.
mk() {
  "$galley" bundle --service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34 --deployer argocd \
    -o "$1" --repo-url "$2" --revision "$3" --path "$4" --log-level error >/dev/null || bad "galley bundle for $2 $3:$4"
}
mk pb "$repo" main clusters/prod
expect "bundle rendered for another path" 2 "render it for repository $repo, revision main, path clusters/other" \
  "$galley" publish pb --git "$repo" --branch main --path clusters/other
expect "bundle rendered for another repository" 2 "is read from $repo main:clusters/prod, not from file:///elsewhere.git" \
  "$galley" publish pb --git file:///elsewhere.git --branch main --path clusters/prod
[ "$(tip "$repo" main)" = "$before" ] && ok "a mismatched bundle is refused before anything is pushed" || bad "remote changed"

out=$("$galley" publish pb --git "$repo" --branch main --path clusters/prod --author "CI Bot <ci@example.com>" 2>err.txt) \
  && ok "publish over git://" || bad "publish: $(cat err.txt)"
check_git "$repo" main clusters/prod/app-of-apps.yaml clusters/prod/bundle.yaml README.md other/app.yaml clusters/prod-2.yaml
gitq clone -q "$repo" c1 2>/dev/null
[ ! -e c1/clusters/prod/stale.yaml ] && ok "exactly PATH replaced: the stale file under it is gone" || bad "stale file kept"
[ "$(cat c1/README.md c1/other/app.yaml c1/clusters/prod-2.yaml)" = "keep
keep
sib" ] && ok "files outside PATH untouched" || bad "files outside PATH changed"
diff -r pb c1/clusters/prod >/dev/null && ok "PATH holds exactly the bundle" || bad "PATH differs from the bundle"
msg=$(git -C c1 log -1 --format='%an <%ae>%n%B')
digest=$(grep recipeDigest pb/bundle.yaml | awk '{print $2}')
echo "$msg" | grep -q "^CI Bot <ci@example.com>" && echo "$msg" | grep -qF "Recipe: $digest" && echo "$msg" | grep -q "Criteria: .*accelerator=h100" \
  && ok "commit author, recipe digest and criteria in the message" || bad "commit message: $msg"
[ "$(git -C c1 rev-parse HEAD~1)" = "$before" ] && ok "one commit on top of the previous tip" || bad "history"

after=$(tip "$repo" main)
out=$("$galley" publish pb --git "$repo" --branch main --path clusters/prod 2>&1)
[ "$(tip "$repo" main)" = "$after" ] && echo "$out" | grep -q "^unchanged" && ok "unchanged tree: no commit, no push" || bad "re-publish: $out"

expect "--path .." 2 "'..'" "$galley" publish b --git "$repo" --branch main --path ..
expect "--path /" 2 "absolute" "$galley" publish b --git "$repo" --branch main --path /
expect "--path a/../../x" 2 "'..'" "$galley" publish b --git "$repo" --branch main --path a/../../x
expect "--path .git/hooks" 2 "git's own" "$galley" publish b --git "$repo" --branch main --path .git/hooks
expect "bad --author" 2 "Name <mail>" "$galley" publish b --git "$repo" --branch main --path x --author nobody
expect "bad --branch" 2 "not a branch name" "$galley" publish b --git "$repo" --branch "a..b" --path x
expect "not a bundle" 2 "not a Galley bundle" "$galley" publish "$T/git" --git "$repo" --branch main --path x
expect "unreachable git server" 5 "fetching" "$galley" publish pb --git git://127.0.0.1:9/nope.git --source-url "$repo" \
  --branch main --path clusters/prod
[ "$(tip "$repo" main)" = "$after" ] && ok "refused publishes left the remote unchanged" || bad "remote changed by a refused publish"

# A new branch; then file:// (libgit2's local transport).
mk pstaging "$repo" env/staging .
"$galley" publish pstaging --git "$repo" --branch env/staging --path . >/dev/null 2>err.txt && check_git "$repo" env/staging app-of-apps.yaml \
  || bad "publish to a new branch: $(cat err.txt)"
gitq init -q --bare "$T/local.git"
mk plocal "file://$T/local.git" main apps
"$galley" publish plocal --git "file://$T/local.git" --branch main --path apps >/dev/null 2>err.txt \
  && check_git "file://$T/local.git" main apps/bundle.yaml || bad "publish over file://: $(cat err.txt)"

# Smart HTTP (git http-backend).
hurl=$(bash "$eco/git-server.sh" start "$T/githttp" --http) && hrepo=$(bash "$eco/git-server.sh" new-repo "$T/githttp" gitops) && {
  mk phttp "$hrepo" main clusters/prod
  "$galley" publish phttp --git "$hrepo" --branch main --path clusters/prod >/dev/null 2>err.txt \
    && check_git "$hrepo" main clusters/prod/app-of-apps.yaml || bad "publish over smart HTTP: $(cat err.txt)"
  bash "$eco/git-server.sh" stop "$T/githttp" >/dev/null 2>&1; }

# The branch moves between galley's fetch and its push: a pre-receive hook holds galley's push
# until another client has pushed; galley's ref update is then refused and replayed once.
hooks="$T/git/repos/gitops.git/hooks"
cat >"$hooks/pre-receive" <<HOOK
#!/bin/sh
if [ ! -f "$T/held" ]; then touch "$T/held"; while [ ! -f "$T/go" ]; do sleep 0.1; done; fi
exit 0
HOOK
chmod +x "$hooks/pre-receive"
cp -r pb b2; echo "# changed" >>b2/README.md
"$galley" publish b2 --git "$repo" --branch main --path clusters/prod >race.out 2>race.err & gp=$!
for _ in $(seq 100); do [ -f "$T/held" ] && break; sleep 0.1; done
gitq clone -q "$repo" c2 2>/dev/null && echo other >c2/other/app.yaml && gitq -C c2 commit -qam other && gitq -C c2 push -q origin main 2>/dev/null
other=$(git -C c2 rev-parse HEAD)
touch "$T/go"; wait $gp; rc=$?
gitq clone -q "$repo" c3 2>/dev/null
if [ $rc = 0 ] && [ "$(git -C c3 rev-parse HEAD~1)" = "$other" ] && grep -q changed c3/clusters/prod/README.md && [ "$(cat c3/other/app.yaml)" = other ]; then
  ok "non-fast-forward: fetched, replayed on the new tip, pushed ($(cat race.err | tr '\n' ' '))"
else bad "race: rc=$rc $(cat race.out race.err)"; fi
check_git "$repo" main clusters/prod/README.md

# Rejected again: a hook that always declines; a clear error and the remote unchanged.
printf '#!/bin/sh\necho "declined by policy" >&2\nexit 1\n' >"$hooks/pre-receive"
cur=$(tip "$repo" main)
expect "push rejected twice" 5 "rejected twice" "$galley" publish pb --git "$repo" --branch main --path clusters/prod
[ "$(tip "$repo" main)" = "$cur" ] && ok "remote unchanged after the refused push" || bad "remote changed"
rm -f "$hooks/pre-receive"

# The documented pipeline (examples/gitops-pipeline.sh): recipe, signed Argo CD bundle, verify, publish.
gitq init -q --bare "$T/pipeline.git"
if "$galley" keygen --out "$T/pipeline" >/dev/null 2>err.txt &&
   GALLEY="$galley" bash "$src/examples/gitops-pipeline.sh" "$src/examples/criteria/eks-h100-training.yaml" \
     "file://$T/pipeline.git" clusters/prod "$T/pipeline.key" >pipeline.out 2>&1; then
  check_git "file://$T/pipeline.git" main clusters/prod/app-of-apps.yaml clusters/prod/attestation.sigstore.json
else bad "examples/gitops-pipeline.sh: $(tail -5 pipeline.out err.txt)"; fi

# --dry-run: the changes, branch and message, and nothing else: the remote's tip and this folder
# are as before; the real publish then commits exactly the listed changes.
cp -r pb b3; echo "# dry" >>b3/README.md; rm b3/app-of-apps.yaml; echo new >b3/extra.yaml
cur=$(tip "$repo" main)
mkdir drytmp; files() { ls -A | grep -vx 'dry\.\(before\|out\|err\)\|drytmp'; }; files >dry.before
if TMPDIR=$T/drytmp "$galley" publish b3 --git "$repo" --branch main --path clusters/prod --message "dry check" --dry-run >dry.out 2>dry.err; then
  ok "publish --dry-run exits 0"; else bad "publish --dry-run: $(cat dry.err)"; fi
[ "$(tip "$repo" main)" = "$cur" ] && ok "dry run: the remote's tip is unchanged" || bad "dry run moved the remote"
files | diff - dry.before >/dev/null && [ -z "$(ls -A drytmp)" ] \
  && ok "dry run: no local state left (its scratch repository removed)" || bad "dry run left files"
grep -q "^dry run: would commit to branch main of $repo on top of ${cur:0:12}" dry.out && grep -q "^  dry check$" dry.out \
  && grep -q "^  Recipe: $digest" dry.out && grep -q "^nothing committed or pushed$" dry.out \
  && ok "dry run names the branch, the tip and the message" || bad "dry run output: $(cat dry.out)"
grep '^[AMD] ' dry.out >dry.changes
printf 'M clusters/prod/README.md\nD clusters/prod/app-of-apps.yaml\nA clusters/prod/extra.yaml\n' | sort -k2 | diff - dry.changes >/dev/null \
  && ok "dry run lists the added, changed and removed files" || bad "dry run changes: $(cat dry.changes)"
"$galley" publish b3 --git "$repo" --branch main --path clusters/prod --message "dry check" >/dev/null 2>err.txt || bad "publish after dry run: $(cat err.txt)"
gitq clone -q "$repo" c4 2>/dev/null
git -C c4 diff --name-status HEAD~1 HEAD | tr '\t' ' ' | sort -k2 | diff - dry.changes >/dev/null \
  && [ "$(git -C c4 rev-parse HEAD~1)" = "$cur" ] && ok "the real publish committed exactly the changes the dry run listed" \
  || bad "dry run and publish differ: $(git -C c4 diff --name-status HEAD~1 HEAD)"
"$galley" publish b3 --git "$repo" --branch main --path clusters/prod --dry-run 2>&1 | grep -q "^dry run: unchanged" \
  && ok "dry run of an unchanged tree says so" || bad "dry run of an unchanged tree"
mk pdry "$repo" dry/new clusters/prod
"$galley" publish pdry --git "$repo" --branch dry/new --path clusters/prod --dry-run >dry2.out 2>&1
grep -q "a new branch" dry2.out && [ -z "$(tip "$repo" dry/new)" ] && ok "dry run to a new branch: named, not created" || bad "dry run new branch: $(cat dry2.out)"
