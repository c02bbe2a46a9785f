# shellcheck shell=bash
# trex.sh — T-Rex (NVIDIA). Failover pools: repeated -o/-u/-p. API: HTTP /summary,
# bound to 127.0.0.1; the telnet API is turned off.

trex_binary() { printf 't-rex'; }

# trex_argv CONFIG BINARY ARRAYNAME
trex_argv() {
	local -n _trex_out=$3
	local i
	miner_cfg_read "$1" && miner_require_pools trex || return 1
	_trex_out=("$2")
	[[ -n $MINER_ALGO ]] && _trex_out+=(--algo "$MINER_ALGO")
	for i in "${!MINER_POOL_URLS[@]}"; do
		_trex_out+=(-o "${MINER_POOL_URLS[i]}" -u "${MINER_POOL_USERS[i]}" -p "${MINER_POOL_PASSES[i]}")
	done
	_trex_out+=(--api-bind-http "127.0.0.1:$(miner_api_port 4067)" --api-bind-telnet 0)
	_trex_out+=("${MINER_EXTRA_ARGS[@]}")
}

# trex_stats — /summary: hashrate in H/s, uptime in s.
trex_stats() {
	miner_api_get /summary 4067 | jq -c '{
	  hashrate_hs: .hashrate,
	  shares: {accepted: (.accepted_count // 0), rejected: (.rejected_count // 0),
	           invalid: (.invalid_count // 0)},
	  gpus: [(.gpus // [])[] | {index: (.device_id // .gpu_id), hashrate_hs: .hashrate}],
	  version: .version, algo: .algorithm, uptime_s: .uptime}'
}
