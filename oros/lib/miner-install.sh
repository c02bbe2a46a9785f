# shellcheck shell=bash
# miner-install.sh — download a miner release and check it before it may run.
# Part of miner.sh (same miner_ prefix); sourced by it.
#
#   miner_install NAME CONFIG   make $OROS_MINER_HOME/NAME/VERSION/ hold the release
#
# Only https:// URLs (redirects too), certificates verified, and the SHA-256 from the
# config must match before anything is unpacked. A tar archive is unpacked (GNU tar
# refuses absolute and ../ member names); anything else is taken as the executable
# itself. The directory appears whole (unpacked aside, then renamed). A second call
# with the same checksum does nothing.
# Settings: OROS_DOWNLOAD_CA_FILE (extra CA, for tests), OROS_DOWNLOAD_MAX_TIME (600 s).

miner_install() {
	local name=$1 config=$2 url sha version dest stage tmp bin
	local -a v=()
	miner_jq_strings "$config" '.miner.download_url // ""' v || return 1
	url=${v[0]}
	miner_jq_strings "$config" '.miner.download_sha256 // "" | ascii_downcase' v || return 1
	sha=${v[0]}
	miner_jq_strings "$config" '.miner.version // "current"' v || return 1
	version=${v[0]}
	bin=$(OROS_MINER_BIN='' miner_binary "$name" "$config") || return 1
	dest="${OROS_MINER_HOME:-${OROS_RUN_DIR:-/run/oros}/miners}/$name/$version"
	[[ $bin == "$dest"/* ]] || return 1
	if [[ -z $url ]]; then
		[[ -x $bin ]] && return 0
		log_error "miner: $name $version is not installed and the config has no download_url"
		return 1
	fi
	if [[ ! $url =~ ^https://[^[:space:]]+$ || ! $sha =~ ^[0-9a-f]{64}$ ]]; then
		log_error "miner: download needs an https:// URL and a SHA-256 (64 hex digits)"
		return 1
	fi
	if [[ $(cat -- "$dest/.oros-sha256" 2>/dev/null) == "$sha" ]]; then
		return 0
	fi
	mkdir -p -- "${dest%/*}" || return 1
	stage=$(mktemp -d -- "${dest%/*}/.install.XXXXXX") || return 1
	tmp="$stage.download"
	local -a curl=(curl --silent --show-error --fail --location --proto '=https'
		--proto-redir '=https' --tlsv1.2 --connect-timeout 20
		--max-time "${OROS_DOWNLOAD_MAX_TIME:-600}" --output "$tmp")
	[[ -n ${OROS_DOWNLOAD_CA_FILE:-} ]] && curl+=(--cacert "$OROS_DOWNLOAD_CA_FILE")
	if ! "${curl[@]}" --url "$url"; then
		log_error "miner: download of $name $version failed"
		rm -rf -- "$stage" "$tmp"
		return 1
	fi
	if ! printf '%s  %s\n' "$sha" "$tmp" | sha256sum --check --status; then
		log_error "miner: $name $version: SHA-256 mismatch, refusing it"
		rm -rf -- "$stage" "$tmp"
		return 1
	fi
	if tar -tf "$tmp" >/dev/null 2>&1; then
		tar -xf "$tmp" -C "$stage" --no-same-owner || {
			rm -rf -- "$stage" "$tmp"
			return 1
		}
	else
		mkdir -p -- "$stage/$(dirname -- "${bin#"$dest"/}")" &&
			mv -- "$tmp" "$stage/${bin#"$dest"/}" && chmod 0755 -- "$stage/${bin#"$dest"/}"
	fi
	rm -f -- "$tmp"
	printf '%s\n' "$sha" >"$stage/.oros-sha256"
	rm -rf -- "$dest.old"
	[[ -e $dest ]] && mv -- "$dest" "$dest.old"
	mv -- "$stage" "$dest" && rm -rf -- "$dest.old"
}
