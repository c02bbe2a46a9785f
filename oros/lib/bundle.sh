# shellcheck shell=bash
# bundle.sh — fetch the agent scripts from the server, verify them, swap them in.
#
#   bundle_install DEST
#       GET /api/rig/v1/bundle/manifest (its SHA-256, over the verified connection),
#       GET /api/rig/v1/bundle, check the archive's SHA-256 against the manifest, refuse
#       anything but plain files and directories, unpack aside and rename over DEST.
#       → 0 installed, 3 DEST already holds that bundle, 1 failed (DEST untouched),
#         4 the server said 401 (the token is no longer valid).
#   bundle_sha DIR        the SHA-256 of the bundle installed in DIR (empty if none)
#   bundle_version DIR    "<VERSION>+<first 12 hex of its SHA-256>" ("+local" if none)
#
# Needs http.sh (http_init and http_set_token done) and log.sh.
# Settings: OROS_BUNDLE_MAX_TIME (120 s for the download).

BUNDLE_API=/api/rig/v1/bundle

bundle_sha() {
	local sha
	sha=$(cat -- "$1/.bundle-sha256" 2>/dev/null) || return 0
	[[ $sha =~ ^[0-9a-f]{64}$ ]] && printf '%s' "$sha"
}

bundle_version() {
	local dir=$1 version sha
	version=$(head -n 1 -- "$dir/VERSION" 2>/dev/null) || version=0
	[[ $version =~ ^[A-Za-z0-9._+-]{1,32}$ ]] || version=0
	sha=$(bundle_sha "$dir")
	if [[ -n $sha ]]; then
		printf '%s+%s' "$version" "${sha:0:12}"
	else
		printf '%s+local' "$version"
	fi
}

# _bundle_safe ARCHIVE — only regular files and directories, relative names.
_bundle_safe() {
	local line
	while IFS= read -r line; do
		[[ $line == [-d]* ]] || return 1
	done < <(tar -tvzf "$1" 2>/dev/null || echo 'unreadable')
	while IFS= read -r line; do
		[[ $line != /* && ! $line =~ (^|/)\.\.(/|$) ]] || return 1
	done < <(tar -tzf "$1")
}

bundle_install() {
	local dest=$1 stage sha rc=0
	mkdir -p -- "$(dirname -- "$dest")" || return 1
	stage=$(mktemp -d -- "$(dirname -- "$dest")/.bundle.XXXXXX") || return 1
	if ! http_get_json "$BUNDLE_API/manifest" "$stage/manifest.json"; then
		[[ $HTTP_STATUS == 401 ]] && rc=4 || rc=1
		log_warn "bundle: no manifest from the server (HTTP $HTTP_STATUS)"
		rm -rf -- "$stage"
		return "$rc"
	fi
	sha=$(jq -r '.sha256 // "" | strings' "$stage/manifest.json")
	if [[ ! $sha =~ ^[0-9a-f]{64}$ ]]; then
		log_warn "bundle: the manifest has no valid sha256"
		rm -rf -- "$stage"
		return 1
	fi
	if [[ $(bundle_sha "$dest") == "$sha" && -f $dest/bin/oros-agent ]]; then
		rm -rf -- "$stage"
		return 3
	fi
	if ! HTTP_MAX_TIME=${OROS_BUNDLE_MAX_TIME:-120} http_request GET "$BUNDLE_API" "$stage/bundle.tar.gz"; then
		[[ $HTTP_STATUS == 401 ]] && rc=4 || rc=1
		log_warn "bundle: download failed (HTTP $HTTP_STATUS)"
		rm -rf -- "$stage"
		return "$rc"
	fi
	if ! printf '%s  %s\n' "$sha" "$stage/bundle.tar.gz" | sha256sum --check --status; then
		log_error "bundle: SHA-256 mismatch, refusing the download"
		rm -rf -- "$stage"
		return 1
	fi
	if ! _bundle_safe "$stage/bundle.tar.gz"; then
		log_error "bundle: the archive holds links, devices or unsafe names; refusing it"
		rm -rf -- "$stage"
		return 1
	fi
	mkdir -- "$stage/new" &&
		tar -xzf "$stage/bundle.tar.gz" -C "$stage/new" --no-same-owner || rc=1
	if ((rc)) || [[ ! -f $stage/new/bin/oros-agent ]]; then
		log_error "bundle: could not unpack it, or it has no bin/oros-agent"
		rm -rf -- "$stage"
		return 1
	fi
	printf '%s\n' "$sha" >"$stage/new/.bundle-sha256"
	rm -rf -- "$dest.old"
	if [[ -e $dest ]] && ! mv -- "$dest" "$dest.old"; then
		rm -rf -- "$stage"
		return 1
	fi
	if ! mv -- "$stage/new" "$dest"; then
		[[ -e $dest.old ]] && mv -- "$dest.old" "$dest"
		rm -rf -- "$stage"
		return 1
	fi
	rm -rf -- "$stage" "$dest.old"
	log_info "bundle: installed $(bundle_version "$dest") in $dest"
	return 0
}
