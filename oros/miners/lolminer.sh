# shellcheck shell=bash
# lolminer.sh — lolMiner (AMD and NVIDIA). Failover pools: repeated --pool/--user/--pass.
# API: HTTP JSON at / (lolMiner 1.x), bound with --apihost 127.0.0.1.

lolminer_binary() { printf 'lolMiner'; }

# lolminer_argv CONFIG BINARY ARRAYNAME
lolminer_argv() {
	local -n _lolminer_out=$3
	local i
	miner_cfg_read "$1" && miner_require_pools lolminer || return 1
	_lolminer_out=("$2")
	[[ -n $MINER_ALGO ]] && _lolminer_out+=(--algo "$MINER_ALGO")
	for i in "${!MINER_POOL_URLS[@]}"; do
		_lolminer_out+=(--pool "${MINER_POOL_URLS[i]}" --user "${MINER_POOL_USERS[i]}" --pass "${MINER_POOL_PASSES[i]}")
	done
	_lolminer_out+=(--apihost 127.0.0.1 --apiport "$(miner_api_port 4069)")
	_lolminer_out+=("${MINER_EXTRA_ARGS[@]}")
}

# lolminer_stats — the first algorithm is the primary one; Performance_Factor turns
# Performance_Unit (e.g. Mh/s) into H/s.
lolminer_stats() {
	miner_api_get / 4069 | jq -c '
	  (.Algorithms[0] // {}) as $a
	  | ($a.Performance_Factor // 1) as $f
	  | {hashrate_hs: (if $a.Total_Performance == null then null else $a.Total_Performance * $f end),
	     shares: {accepted: ($a.Total_Accepted // 0), rejected: ($a.Total_Rejected // 0),
	              invalid: ($a.Total_Errors // 0)},
	     gpus: [range(0; (.Workers // []) | length) as $i
	            | {index: .Workers[$i].Index, hashrate_hs: (($a.Worker_Performance[$i] // 0) * $f)}],
	     version: ((.Software // "") | (first(capture("(?<v>[0-9][0-9.]*)") | .v) // null)),
	     algo: $a.Algorithm, uptime_s: .Session.Uptime}'
}
