# shellcheck shell=bash
# teamredminer.sh — TeamRedMiner (AMD). Failover pools: repeated -o/-u/-p. API: the
# sgminer-compatible JSON API on a TCP socket (--api_listen=127.0.0.1:PORT), asked
# {"command":"summary+devs"} with bash's /dev/tcp (no nc on the rig).

teamredminer_binary() { printf 'teamredminer'; }

# teamredminer_argv CONFIG BINARY ARRAYNAME
teamredminer_argv() {
	local -n _trm_out=$3
	local i
	miner_cfg_read "$1" && miner_require_pools teamredminer || return 1
	_trm_out=("$2")
	[[ -n $MINER_ALGO ]] && _trm_out+=(-a "$MINER_ALGO")
	for i in "${!MINER_POOL_URLS[@]}"; do
		_trm_out+=(-o "${MINER_POOL_URLS[i]}" -u "${MINER_POOL_USERS[i]}" -p "${MINER_POOL_PASSES[i]}")
	done
	_trm_out+=("--api_listen=127.0.0.1:$(miner_api_port 4028)")
	_trm_out+=("${MINER_EXTRA_ARGS[@]}")
}

# teamredminer_api REQUEST_JSON — one request, the whole answer (trailing NUL removed).
teamredminer_api() {
	# The script is a fixed string; host, port and request arrive as its arguments.
	# shellcheck disable=SC2016
	timeout "${OROS_MINER_API_TIMEOUT:-5}" bash -c '
		exec 3<>"/dev/tcp/$1/$2" || exit 1
		printf "%s" "$3" >&3
		cat <&3' _ "${OROS_MINER_API_HOST:-127.0.0.1}" "$(miner_api_port 4028)" "$1" | tr -d '\000'
}

# teamredminer_stats — hashrates come as "KHS 30s"/"MHS 30s" (or "… av"), → H/s.
teamredminer_stats() {
	local answer
	answer=$(teamredminer_api '{"command":"summary+devs"}') || return 1
	[[ -n $answer ]] || return 1
	jq -c '
	  # The first non-zero of the 30 s then average rates, whatever the unit prefix.
	  def hs: . as $d
	    | [["GHS 30s", 1e9], ["MHS 30s", 1e6], ["KHS 30s", 1e3],
	       ["GHS av", 1e9], ["MHS av", 1e6], ["KHS av", 1e3]]
	    | map(. as [$k, $f] | $d[$k] | if type == "number" then . * $f else null end)
	    | (map(select(. != null and . > 0)) | first) // (map(select(. != null)) | first) // null;
	  (.summary[0].SUMMARY[0] // {}) as $s
	  | {hashrate_hs: ($s | hs),
	     shares: {accepted: ($s.Accepted // 0), rejected: ($s.Rejected // 0),
	              invalid: ($s["Hardware Errors"] // 0)},
	     gpus: [(.devs[0].DEVS // [])[] | {index: .GPU, hashrate_hs: hs}],
	     version: ((.summary[0].STATUS[0].Description // "")
	               | (first(capture("(?<v>[0-9][0-9.]*)") | .v) // null)),
	     algo: null, uptime_s: $s.Elapsed}' <<<"$answer"
}
