# shellcheck shell=bash
# report.sh — protocol bodies built with jq: hello, report, events.
#
#   report_hello_json GPUS AGENT_VERSION     hello body (inventory + system facts)
#   report_json GPUS STATS SYS CONFIG_VERSION MINER_NAME RUNNING WD_STATE
#   report_events_json EVQ_ARRAY             queued events → protocol events ([] if none)
#   report_send_events EVQ_ARRAY             POST /events (callback of evq_drain_batch)
#
# GPU index on the wire: NVIDIA cards keep their nvidia-smi index, AMD cards follow
# after all NVIDIA cards (so a lost card never shifts the others). Lost GPUs are left
# out of reports; values outside the protocol's ranges are sent as null, never as a
# made-up 0. Per-GPU hashrates from the miner are matched on that index (mixed
# NVIDIA+AMD rigs: the miner's own numbering may differ).

# shellcheck disable=SC2016  # jq code, not shell
_REPORT_JQ_DEFS='
  def s: if type == "string" then .[0:128] else "" end;
  def rng($lo; $hi): if type == "number" and . >= $lo and . <= $hi then . else null end;
  def prune: walk(if type == "object" then with_entries(select(.value != null)) else . end);
  def wire_gpus:
    ([.[] | select(.vendor == "nvidia")] | length) as $nv
    | [.[] | select(.lost != true and (.index | type) == "number")
       | .wire = (if .vendor == "amd" then .index + $nv else .index end)
       | select(.wire <= 63)];
'

# report_hello_json GPUS AGENT_VERSION
report_hello_json() {
	jq -cn --argjson gpus "$1" --arg agent "$2" --argjson facts "$(sys_facts_json)" \
		"$_REPORT_JQ_DEFS"'
	  $facts + {agent_version: ($agent | s),
	    gpus: [$gpus | wire_gpus | .[0:32][]
	           | {index: .wire, vendor: (if .vendor == "nvidia" or .vendor == "amd" then .vendor
	                                     else "unknown" end),
	              model: (.name | s), bus_id: (.bus_id | s),
	              vram_mb: (.mem_total_mib | rng(0; 1e9)), vbios: (.vbios | s),
	              driver: (.driver | s)}]}
	  | prune'
}

# report_json GPUS STATS SYS CONFIG_VERSION MINER_NAME RUNNING WD_STATE
report_json() {
	jq -cn --argjson gpus "$1" --argjson stats "$2" --argjson sys "$3" --arg version "$4" \
		--arg name "$5" --argjson running "$6" --argjson wd "$7" "$_REPORT_JQ_DEFS"'
	  def count: if type == "number" and . >= 0 then floor else null end;
	  ([$stats.gpus[]? | {key: (.index | tostring), value: .hashrate_hs}] | from_entries) as $hs
	  | $sys + {config_version: ($version | s),
	     miner: (if $name == "" then null else
	       {name: ($name | s), version: ($stats.version | s), algo: ($stats.algo | s),
	        running: $running, uptime_s: ($stats.uptime_s | count),
	        hashrate_hs: ($stats.hashrate_hs | rng(0; 1e20)),
	        shares: {accepted: ($stats.shares.accepted | count),
	                 rejected: ($stats.shares.rejected | count),
	                 invalid: ($stats.shares.invalid | count)}} end),
	     gpus: [$gpus | wire_gpus | .[0:32][]
	            | {index: .wire, hashrate_hs: ($hs[.index | tostring] | rng(0; 1e20)),
	               temp_c: (.temp_c | rng(-60; 200)), mem_temp_c: (.mem_temp_c | rng(-60; 200)),
	               fan_pct: (.fan_pct | rng(0; 100)), power_w: (.power_w | rng(0; 10000)),
	               core_clock_mhz: (.core_mhz | rng(0; 100000)),
	               mem_clock_mhz: (.mem_mhz | rng(0; 100000)), util_pct: (.util_pct | rng(0; 100))}],
	     watchdog: {miner_restarts: ($wd.restarts // 0 | count), last_action: ($wd.last_action | if type == "string" then s else null end)}}
	  | prune'
}

# report_events_json EVQ_ARRAY — queue events (evq_event shape) → protocol events.
# Queue types without a protocol kind go as "error" when warning/critical; purely
# informative ones (a first miner start, a miner stop) stay in the local log.
report_events_json() {
	jq -c '
	  def kinds: ["miner_restarted", "miner_crashed", "rig_rebooting", "rig_shutdown",
	    "overheat", "overheat_resumed", "gpu_lost", "config_applied", "config_failed",
	    "oc_applied", "oc_failed", "watchdog_action", "agent_started", "agent_upgraded",
	    "miner_downloaded", "error"];
	  def kind:
	    .type as $t | (.data // {}) as $d
	    | if $t == "miner_exited" then "miner_crashed"
	      elif $t == "miner_started" then (if ($d.restarts // 0) > 0 then "miner_restarted" else null end)
	      elif $t == "miner_stopped" then null
	      elif $t == "miner_config_invalid" then "config_failed"
	      elif $t == "oc_invalid" or $t == "oc_not_applied" then "oc_failed"
	      elif ($t | startswith("watchdog_")) then
	        (if $d.lost_bus_ids != null then "gpu_lost"
	         elif $d.action == "start_miner" then "overheat_resumed"
	         elif $d.max_temp_c != null then "overheat"
	         elif $d.action == "restart_miner" then "miner_restarted"
	         elif $d.action == "reboot" then "rig_rebooting"
	         elif $d.action == "shutdown" then "rig_shutdown"
	         else "watchdog_action" end)
	      elif (kinds | index([$t])) then $t
	      elif .severity == "warning" or .severity == "critical" then "error"
	      else null end;
	  [.[] | select(type == "object") | (kind) as $k | select($k != null)
	   | {kind: $k, at: .ts, message: ((.message // "") | tostring | .[0:512]),
	      gpu_index: (.gpu | if type == "number" and . >= 0 and . <= 63 then floor else null end),
	      data: (((.data // {}) | if type == "object" then del(.log_tail) else {value: .} end)
	             + {type: .type, severity: .severity, event_id: .id}),
	      log_tail: ((.data.log_tail? // "") | tostring | .[-16000:])}
	   | with_entries(select(.value != null))]' <<<"$1"
}

# report_send_events EVQ_ARRAY — 0 when the server stored them (or there was nothing
# to send, or it refused them as invalid: a bad event must not block the queue).
report_send_events() {
	local events out rc=0
	if ! events=$(report_events_json "$1"); then
		log_error "events: could not convert queued events; keeping them"
		return 1
	fi
	[[ $events != '[]' ]] || return 0
	out=$(mktemp) || return 1
	http_request POST /api/rig/v1/events "$out" "$(jq -cn --argjson e "$events" '{events: $e}')" || rc=$?
	rm -f -- "$out"
	((rc == 0)) && return 0
	case $HTTP_STATUS in
	400 | 413 | 422)
		log_error "events: the server refused a batch (HTTP $HTTP_STATUS); dropped"
		return 0
		;;
	401) agent_unauthorized ;;
	esac
	return 1
}
