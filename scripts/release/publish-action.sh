#!/usr/bin/env bash
# Publishes the Marketplace folder (`npm run marketplace -w codeqr-github-action`) to the action repository:
# one commit with its content, tag vX.Y.Z, the moving major tag vX forced to it, and a GitHub release.
# Usage: scripts/release/publish-action.sh <folder> <vX.Y.Z>
# Env: ACTION_REPOSITORY (owner/name), GH_TOKEN (contents: write on that repository; never printed).
set -euo pipefail
folder="${1:?usage: publish-action.sh <folder> <vX.Y.Z>}"
tag="${2:?usage: publish-action.sh <folder> <vX.Y.Z>}"
repo="${ACTION_REPOSITORY:?set ACTION_REPOSITORY (owner/name)}"
: "${GH_TOKEN:?set GH_TOKEN to a token that may push to $repo}"
[[ "$tag" =~ ^v([0-9]+)\.[0-9]+\.[0-9]+$ ]] || { echo "::error::$tag is not vX.Y.Z" >&2; exit 1; }
major="v${BASH_REMATCH[1]}"
[ -f "$folder/action.yml" ] && [ -f "$folder/dist/index.js" ] || { echo "::error::$folder is not a Marketplace folder" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# the token goes through an extra header, never into a URL that git could print
auth="AUTHORIZATION: basic $(printf 'x-access-token:%s' "$GH_TOKEN" | base64 -w0)"
git -c http.extraheader="$auth" clone --quiet --depth 1 "https://github.com/$repo.git" "$work/repo"
cd "$work/repo"
# a rerun after a partial failure: the version is pushed already, so only what is missing is done
if git -c http.extraheader="$auth" ls-remote --exit-code --tags origin "refs/tags/$tag" >/dev/null; then
  echo "$repo already has $tag; moving $major to it and making sure the release exists"
  git -c http.extraheader="$auth" fetch --quiet --depth 1 origin "refs/tags/$tag:refs/tags/$tag"
  git tag -f "$major" "$tag"
  git -c http.extraheader="$auth" push --quiet --force origin "refs/tags/$major"
  gh release view "$tag" --repo "$repo" >/dev/null 2>&1 ||
    gh release create "$tag" --repo "$repo" --title "$tag" --notes "Release $tag of the CodeQR GitHub Action. Use \`uses: $repo@$major\` or pin \`@$tag\`."
  exit 0
fi
git rm -rq --ignore-unmatch . >/dev/null
cp -R "$folder"/. .
git add -A
git -c user.name="codeqr-release" -c user.email="release@codeqr.io" \
  commit --quiet --allow-empty -m "$tag (from ${GITHUB_REPOSITORY:-codeqr-io/codeqr-integrations}@${GITHUB_SHA:-local})"
git tag "$tag"
git tag -f "$major"
git -c http.extraheader="$auth" push --quiet origin HEAD "refs/tags/$tag" 
git -c http.extraheader="$auth" push --quiet --force origin "refs/tags/$major"
gh release create "$tag" --repo "$repo" --title "$tag" --notes "Release $tag of the CodeQR GitHub Action. Use \`uses: $repo@$major\` or pin \`@$tag\`."
echo "published $repo@$tag and moved $major"
