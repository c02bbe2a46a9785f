# shellcheck shell=bash
# miner.sh — miner adapters, argv building and the miner supervisor.
#
# One adapter per miner in oros/miners/<name>.sh (acme.sh-style plugins) defines:
#   <name>_argv CONFIG BINARY ARRAYNAME   fill the caller's array with the command line
#   <name>_stats                          print normalised stats JSON (optional)
#   <name>_binary                         default executable name (optional)
# The core checks that a function exists before calling it.
#
# Normalised stats: {"hashrate_hs": n|null, "shares": {"accepted","rejected","invalid"},
#   "gpus": [{"index","hashrate_hs"}], "version", "algo", "uptime_s"} — H/s always.
#
# Config values reach the miner only as separate argv elements: they are read from the
# JSON with jq into bash arrays (NUL-separated) and never pass through a shell, eval or
# word splitting.
#
# Settings: OROS_MINERS_DIR (adapters; default ../miners next to this file),
# OROS_MINER_HOME (installed miners; default $OROS_RUN_DIR/miners), OROS_MINER_BIN
# (force the executable; tests), OROS_MINER_API_HOST/OROS_MINER_API_PORT (stats
# endpoint; default 127.0.0.1 and the adapter's fixed port), OROS_MINER_STABLE_S (a run
# this long resets the back-off; 300).
# Needs log.sh and evq.sh.

# Filled by miner_cfg_read, read by the adapters.
# shellcheck disable=SC2034
MINER_ALGO='' MINER_POOL_URLS=() MINER_POOL_USERS=() MINER_POOL_PASSES=() MINER_EXTRA_ARGS=()

_MINER_LIB_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
: "${OROS_MINERS_DIR:=${_MINER_LIB_DIR%/lib}/miners}"

# miner_run_dir — where the running miner keeps its pid files and log.
miner_run_dir() {
	printf '%s/miner' "${OROS_RUN_DIR:-/run/oros}"
}

miner_log_file() {
	printf '%s/miner.log' "$(miner_run_dir)"
}

# miner_load NAME — source the adapter; it must define NAME_argv.
miner_load() {
	local name=$1 file
	if [[ ! $name =~ ^[a-z][a-z0-9]{0,31}$ ]]; then
		log_error "miner: invalid miner name: $name"
		return 1
	fi
	file="$OROS_MINERS_DIR/$name.sh"
	if [[ ! -f $file ]]; then
		log_error "miner: no adapter for '$name' in $OROS_MINERS_DIR"
		return 1
	fi
	# shellcheck source=/dev/null
	source "$file" || return 1
	if ! declare -F "${name}_argv" >/dev/null; then
		log_error "miner: adapter $name does not define ${name}_argv"
		return 1
	fi
}

# miner_has NAME FUNCTION — does the adapter define NAME_FUNCTION?
miner_has() {
	declare -F "${1}_$2" >/dev/null
}

# miner_jq_strings JSON FILTER ARRAYNAME — every string (or number) FILTER yields,
# one array element each; anything else, or a NUL inside a string, is an error.
miner_jq_strings() {
	local json=$1 filter=$2 tmp rc=0
	tmp=$(mktemp) || return 1
	# shellcheck disable=SC2016  # jq code, not shell
	jq -j "$filter"' | if type == "string" or type == "number" then tostring
	                   else error("expected a string, got \(type)") end
	                 | if test("\u0000") then error("NUL in a value") else . + "\u0000" end' \
		<<<"$json" >"$tmp" || rc=1
	((rc == 0)) && mapfile -d '' -t "$3" <"$tmp"
	rm -f -- "$tmp"
	return "$rc"
}

# miner_cfg_read CONFIG — read .miner into globals: MINER_ALGO, MINER_POOL_URLS,
# MINER_POOL_USERS, MINER_POOL_PASSES (failover order) and MINER_EXTRA_ARGS.
miner_cfg_read() {
	local config=$1 v
	local -a algo=()
	MINER_ALGO='' MINER_POOL_URLS=() MINER_POOL_USERS=() MINER_POOL_PASSES=()
	MINER_EXTRA_ARGS=()
	if ! jq -e '(.miner | type == "object") and ((.miner.pools // []) | type == "array")
	            and ((.miner.extra_args // []) | type == "array")' <<<"$config" >/dev/null 2>&1; then
		log_error "miner: config has no usable .miner block"
		return 1
	fi
	if ! {
		miner_jq_strings "$config" '.miner.algo // ""' algo &&
			miner_jq_strings "$config" '(.miner.pools // [])[] | .url // ""' MINER_POOL_URLS &&
			miner_jq_strings "$config" '(.miner.pools // [])[] | .user // ""' MINER_POOL_USERS &&
			miner_jq_strings "$config" '(.miner.pools // [])[] | .pass // "x"' MINER_POOL_PASSES &&
			miner_jq_strings "$config" '(.miner.extra_args // [])[]' MINER_EXTRA_ARGS
	}; then
		log_error "miner: invalid value in .miner"
		return 1
	fi
	MINER_ALGO=${algo[0]:-}
	# A pool value that starts with '-' could be read by the miner as an option.
	for v in "$MINER_ALGO" "${MINER_POOL_URLS[@]}" "${MINER_POOL_USERS[@]}" "${MINER_POOL_PASSES[@]}"; do
		if [[ $v == -* ]]; then
			log_error "miner: pool/algo values must not start with '-'"
			return 1
		fi
	done
}

# miner_require_pools NAME — adapters that need at least one pool call this.
miner_require_pools() {
	if ((${#MINER_POOL_URLS[@]} == 0)) || [[ -z ${MINER_POOL_URLS[0]} ]]; then
		log_error "miner: $1 needs at least one pool with a url"
		return 1
	fi
}

# miner_api_port DEFAULT — the local API port (OROS_MINER_API_PORT wins, for tests).
miner_api_port() {
	printf '%s' "${OROS_MINER_API_PORT:-$1}"
}

# miner_api_get PATH DEFAULT_PORT — GET the miner's local HTTP API (never via a proxy).
miner_api_get() {
	curl --silent --fail --max-time "${OROS_MINER_API_TIMEOUT:-5}" --noproxy '*' \
		--url "http://${OROS_MINER_API_HOST:-127.0.0.1}:$(miner_api_port "$2")$1"
}

# miner_binary NAME CONFIG — path of the executable for this config.
miner_binary() {
	local name=$1 config=$2 bin version
	local -a v=()
	if [[ -n ${OROS_MINER_BIN:-} ]]; then
		printf '%s' "$OROS_MINER_BIN"
		return 0
	fi
	miner_jq_strings "$config" '.miner.version // "current"' v || return 1
	version=${v[0]}
	miner_jq_strings "$config" '.miner.binary // ""' v || return 1
	bin=${v[0]}
	if [[ -z $bin ]] && miner_has "$name" binary; then
		bin=$("${name}_binary")
	fi
	[[ -n $bin ]] || bin=$name
	if [[ $bin == /* || $bin =~ (^|/)\.\.(/|$) || ! $version =~ ^[A-Za-z0-9._+-]+$ ]]; then
		log_error "miner: refusing binary path '$bin' / version '$version'"
		return 1
	fi
	printf '%s/%s/%s/%s' "${OROS_MINER_HOME:-${OROS_RUN_DIR:-/run/oros}/miners}" "$name" "$version" "$bin"
}

# miner_build_argv NAME CONFIG ARRAYNAME — the full command line, as an array.
miner_build_argv() {
	local name=$1 config=$2 bin
	miner_load "$name" || return 1
	bin=$(miner_binary "$name" "$config") || return 1
	"${name}_argv" "$config" "$bin" "$3"
}

# miner_stats NAME — the adapter's stats, or an empty record when it has none or the
# miner's API does not answer (returns 1 then).
miner_stats() {
	local name=$1 out=''
	miner_has "$name" argv || miner_load "$name" || true
	if miner_has "$name" stats; then
		out=$("${name}_stats" 2>/dev/null) || out=''
	fi
	if [[ -z $out ]] || ! jq -e 'type == "object"' <<<"$out" >/dev/null 2>&1; then
		jq -cn '{hashrate_hs: null, shares: {accepted: null, rejected: null, invalid: null},
		         gpus: [], version: null, algo: null, uptime_s: null}'
		return 1
	fi
	# Hashrates: numbers in H/s, rounded to 0.001 (unit maths leaves float dust).
	jq -c 'def hs: if type == "number" then (. * 1000 | round) / 1000 else null end;
	       {hashrate_hs: (.hashrate_hs | hs),
	        shares: {accepted: (.shares.accepted // null), rejected: (.shares.rejected // null),
	                 invalid: (.shares.invalid // null)},
	        gpus: [(.gpus // [])[] | {index, hashrate_hs: (.hashrate_hs | hs)}],
	        version: (.version // null), algo: (.algo // null),
	        uptime_s: (.uptime_s // null)}' <<<"$out"
}

# miner_backoff ATTEMPT — seconds to wait before restart number ATTEMPT (0-based):
# 5, 10, 20, 40, then 60 for ever.
miner_backoff() {
	local attempt=$1 delay=5
	while ((attempt > 0 && delay < 60)); do
		delay=$((delay * 2))
		attempt=$((attempt - 1))
	done
	((delay > 60)) && delay=60
	printf '%s' "$delay"
}

# miner_log_tail [N] — the last N (20) lines of the miner log, colours stripped.
miner_log_tail() {
	local file
	file=$(miner_log_file)
	[[ -f $file ]] || return 0
	tail -n "${1:-20}" -- "$file" | sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' -e 's/\r$//'
}

# miner_log_trim [MAX_BYTES] — keep the ramdisk miner log bounded (copy-truncate, so
# the running miner keeps writing to the same file).
miner_log_trim() {
	local file max=${1:-4194304} size
	file=$(miner_log_file)
	size=$(stat -c %s -- "$file" 2>/dev/null) || return 0
	((size > max)) || return 0
	tail -c "$((max / 2))" -- "$file" >"$file.trim" && cat -- "$file.trim" >"$file"
	rm -f -- "$file.trim"
}

# shellcheck source=oros/lib/miner-supervise.sh
source "$_MINER_LIB_DIR/miner-supervise.sh"
# shellcheck source=oros/lib/miner-install.sh
source "$_MINER_LIB_DIR/miner-install.sh"
