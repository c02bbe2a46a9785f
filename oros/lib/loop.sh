# shellcheck shell=bash
# loop.sh — the agent's main loop (bin/oros-agent calls loop_main).
#
#   start:  load rig.conf → apply the last good config at once (mining never waits for
#           the server) → hello → command long-poll in the background
#   every report interval: GPUs + miner stats → local watchdog → report → new config
#           version? GET /config and apply what changed → commands from the answer →
#           send queued events
#   always: server away → keep going with the last good config, events stay queued;
#           401 → stop talking (agent_unauthorized), keep mining; USR1 → re-exec the
#           (upgraded) agent; TERM → stop the miner and exit.
#
# Settings: OROS_CONF (the boot medium's rig.conf), OROS_AGENT_CONF (the copy oros-boot
# leaves in the ramdisk; default $OROS_RUN_DIR/secrets/rig.conf), OROS_REPORT_INTERVAL
# (labs and tests: report every N s whatever the server says), OROS_WD_MINUTE_S
# (seconds in a watchdog "minute"; tests only; 60), OROS_AGENT_FALLBACK (1 when
# oros-boot could not fetch the bundle: keep trying, then switch to it), OROS_BUNDLE
# (no = never fetch the bundle).

LOOP_INTERVAL=30
LOOP_HELLO_DONE=0
LOOP_RESTART=0
LOOP_POLLER=''
LOOP_SLEEPER=''
LOOP_TOKEN=''
LOOP_LAST_LOUD=0
LOOP_CYCLES=0

_loop_interval() {
	local n=$1
	if [[ ${OROS_REPORT_INTERVAL:-} =~ ^[0-9]+$ ]] && ((OROS_REPORT_INTERVAL > 0)); then
		LOOP_INTERVAL=$OROS_REPORT_INTERVAL
		return 0
	fi
	[[ $n =~ ^[0-9]+$ ]] || return 0
	((n < 10)) && n=10
	((n > 600)) && n=600
	LOOP_INTERVAL=$n
}

_loop_poller_start() {
	[[ -e "$(agent_state_dir)/unauthorized" ]] && return 0
	if [[ -n $LOOP_POLLER ]] && kill -0 "$LOOP_POLLER" 2>/dev/null; then
		return 0
	fi
	cmd_poll_loop </dev/null &
	LOOP_POLLER=$!
}

_loop_poller_stop() {
	[[ -n $LOOP_POLLER ]] && kill "$LOOP_POLLER" 2>/dev/null
	LOOP_POLLER=''
	return 0
}

loop_hello() {
	local out rc=0 body
	body=$(report_hello_json "$(agent_gpus)" "$(bundle_version "$OROS_HOME")") || return 1
	out=$(mktemp) || return 1
	http_request POST /api/rig/v1/hello "$out" "$body" || rc=$?
	if ((rc == 0)) && jq -e '.config | type == "object"' "$out" >/dev/null 2>&1; then
		LOOP_HELLO_DONE=1
		_loop_interval "$(jq -r '.report_interval_s // ""' "$out")"
		agent_apply_config "$(jq -c .config "$out")" || true
	elif [[ $HTTP_STATUS == 401 ]]; then
		agent_unauthorized
	else
		log_warn "agent: hello failed (HTTP $HTTP_STATUS); mining on with the last good config"
	fi
	rm -f -- "$out"
	return "$rc"
}

# loop_fetch_config — GET /config and apply it.
loop_fetch_config() {
	local out rc=0
	out=$(mktemp) || return 1
	if http_get_json /api/rig/v1/config "$out"; then
		agent_apply_config "$(jq -c . "$out")" || rc=1
	else
		rc=1
		[[ $HTTP_STATUS == 401 ]] && agent_unauthorized
		log_warn "agent: GET /config failed (HTTP $HTTP_STATUS)"
	fi
	rm -f -- "$out"
	return "$rc"
}

# _loop_wd_block CONFIG — the watchdog settings as the rules should see them now.
_loop_wd_block() {
	local paused=false dir
	dir=$(agent_state_dir)
	if [[ -z $(agent_miner_name "$1") || -e $dir/miner-stopped ]]; then
		paused=true
	fi
	jq -c --argjson m "${OROS_WD_MINUTE_S:-60}" --argjson p "$paused" '
	  (.maintenance == true) as $maint
	  | (.watchdog // {}) | .restart_after_min = ((.restart_after_min // 5) * $m / 60)
	  | if $p or $maint then .min_hashrate_hs = 0 else . end' <<<"$1"
}

_loop_wd_act() {
	case $1 in
	restart_miner) agent_miner_restart || true ;;
	stop_miner) agent_lock && {
		miner_stop
		agent_unlock
	} ;;
	start_miner) agent_miner_start || true ;;
	reboot | shutdown) cmd_power "$1" || true ;;
	esac
}

# loop_watchdog GPUS STATS — decide and act; the state lives in the ramdisk.
loop_watchdog() {
	local gpus=$1 stats=$2 config f state sample result action
	config=$(agent_config) || return 0
	f="$(agent_state_dir)/watchdog.json"
	state=$(cat -- "$f" 2>/dev/null) || state=''
	if [[ -z $state ]]; then
		state=$(wd_init "$(jq '[.[] | select(.lost != true and .index != null)] | length' <<<"$gpus")")
	fi
	sample=$(jq -cn --argjson g "$gpus" --argjson s "$stats" \
		'{hashrate_hs: $s.hashrate_hs, gpus: [$g[] | {index, temp_c, lost, bus_id}]}')
	result=$(wd_decide "$(_loop_wd_block "$config")" "$state" "$sample" "$(date +%s)") || return 1
	if [[ $result == *'"decisions":[]'* ]]; then # the usual case: nothing to do
		_agent_write "$f" "$(jq -c '.state' <<<"$result")"
		return 0
	fi
	wd_events "$result" | evq_push || true
	_agent_write "$f" "$(jq -c '.state + {last_action: .decisions[-1].action}' <<<"$result")"
	while IFS= read -r action; do
		[[ -n $action ]] || continue
		log_warn "watchdog: $action"
		_loop_wd_act "$action"
	done < <(wd_actions "$result")
}

# _loop_check_new_token — after a 401: resume when OROS_CONF holds another token.
# shellcheck disable=SC2153  # CONF is the global filled by conf_load (conf.sh)
_loop_check_new_token() {
	local now
	now=$(date +%s)
	if ((now - LOOP_LAST_LOUD >= 600)); then
		log_error "agent: still refused by the server (401); mining on. Replace rig.conf."
		LOOP_LAST_LOUD=$now
	fi
	conf_load "$OROS_CONF" 2>/dev/null && conf_enrolled || return 0
	[[ ${CONF[RIG_TOKEN]} != "$LOOP_TOKEN" ]] || return 0
	http_set_token "${CONF[RIG_TOKEN]}" || return 0
	LOOP_TOKEN=${CONF[RIG_TOKEN]}
	rm -f -- "$(agent_state_dir)/unauthorized"
	LOOP_HELLO_DONE=0
	log_info "agent: $OROS_CONF holds a new token; talking to the server again"
}

# loop_report GPUS STATS — send the report and act on the answer.
loop_report() {
	local gpus=$1 stats=$2 config name running=false version body out rc=0 answer
	config=$(agent_config) || config='{}'
	name=$(agent_miner_name "$config")
	version=$(jq -r '.version // ""' <<<"$config")
	miner_running && running=true
	body=$(report_json "$gpus" "$stats" "$(sys_stats_json)" "$version" "$name" "$running" \
		"$(cat -- "$(agent_state_dir)/watchdog.json" 2>/dev/null || echo '{}')") || return 1
	out=$(mktemp) || return 1
	http_request POST /api/rig/v1/report "$out" "$body" || rc=$?
	answer=$(cat -- "$out")
	rm -f -- "$out"
	if ((rc)); then
		case $HTTP_STATUS in
		401) agent_unauthorized ;;
		422) log_error "agent: the server refused the report as invalid: ${answer:0:300}" ;;
		*) log_warn "agent: report failed (HTTP $HTTP_STATUS); mining on, events stay queued" ;;
		esac
		return 1
	fi
	_loop_interval "$(jq -r '.report_interval_s // ""' <<<"$answer")"
	if [[ $(jq -r '.config_version // ""' <<<"$answer") != "$version" ]]; then
		loop_fetch_config || true
	fi
	cmd_handle_list "$answer"
	return 0
}

# _loop_try_bundle — running the scripts of the image/installation because the bundle
# could not be fetched at boot: fetch it now, then switch to it.
_loop_try_bundle() {
	[[ ${OROS_AGENT_FALLBACK:-0} == 1 && ${OROS_BUNDLE:-yes} != no ]] || return 0
	local rc=0
	bundle_install "$OROS_RUN_DIR/agent" || rc=$?
	if ((rc == 0 || rc == 3)); then
		log_info "agent: the server's bundle is in place; switching to it"
		LOOP_RESTART=1
	fi
}

loop_cycle() {
	local gpus stats='{}' name i
	LOOP_CYCLES=$((LOOP_CYCLES + 1))
	_agent_write "$(agent_state_dir)/cycles" "$LOOP_CYCLES $(date +%s)"
	gpus=$(agent_gpus)
	name=$(agent_miner_name)
	[[ -n $name ]] && { stats=$(miner_stats "$name") || true; }
	loop_watchdog "$gpus" "$stats" || log_warn "agent: watchdog step failed"
	agent_ensure_miner || true
	miner_log_trim || true
	if [[ -e "$(agent_state_dir)/unauthorized" ]]; then
		_loop_poller_stop
		_loop_check_new_token
		return 0
	fi
	((LOOP_HELLO_DONE)) || loop_hello || true
	loop_report "$gpus" "$stats" || return 0
	_loop_try_bundle
	for ((i = 0; i < 5; i++)); do
		(($(evq_count) > 0)) || break
		evq_drain_batch report_send_events 100 || break
	done
	_loop_poller_start
}

_loop_on_term() {
	_loop_poller_stop
	[[ -n $LOOP_SLEEPER ]] && kill "$LOOP_SLEEPER" 2>/dev/null
	log_info "agent: stopping (miner too)"
	miner_stop || true
	exit 0
}

_loop_on_usr1() {
	LOOP_RESTART=1
	[[ -n $LOOP_SLEEPER ]] && kill "$LOOP_SLEEPER" 2>/dev/null
	return 0
}

_loop_reexec() {
	local home="$OROS_RUN_DIR/agent"
	_loop_poller_stop
	[[ -x $home/bin/oros-agent ]] || home=$OROS_HOME
	[[ $home == "$OROS_RUN_DIR/agent" ]] && export OROS_AGENT_FALLBACK=0
	log_info "agent: restarting from $home"
	exec "$home/bin/oros-agent"
}

# _loop_start_events — agent_started, or agent_upgraded after an upgrade_agent.
_loop_start_events() {
	local dir version
	dir=$(agent_state_dir)
	version=$(bundle_version "$OROS_HOME")
	if [[ -e $dir/upgraded ]]; then
		rm -f -- "$dir/upgraded"
		evq_push "$(evq_event agent_upgraded info "agent upgraded to $version" \
			"$(jq -cn --arg v "$version" '{version: $v}')")"
	else
		evq_push "$(evq_event agent_started info "agent $version started" \
			"$(jq -cn --arg v "$version" '{version: $v}')")"
	fi
}

loop_main() {
	local conf saved
	: "${OROS_RUN_DIR:=/run/oros}" "${OROS_CONF:=/etc/oros/rig.conf}"
	export OROS_RUN_DIR OROS_CONF
	conf=${OROS_AGENT_CONF:-$OROS_RUN_DIR/secrets/rig.conf}
	[[ -r $conf ]] || conf=$OROS_CONF
	log_init
	conf_load "$conf" || log_die "agent: cannot use $conf"
	conf_enrolled || log_die "agent: $conf holds no RIG_ID/RIG_TOKEN (oros-boot enrolls first)"
	http_init "${CONF[SERVER_URL]}" "$(conf_ca_file "$conf")" || log_die "agent: bad SERVER_URL/CA_FILE"
	http_set_token "${CONF[RIG_TOKEN]}" || log_die "agent: bad RIG_TOKEN"
	LOOP_TOKEN=${CONF[RIG_TOKEN]}
	mkdir -p -- "$(agent_state_dir)"
	read -r LOOP_CYCLES _ 2>/dev/null <"$(agent_state_dir)/cycles" || LOOP_CYCLES=0
	[[ $LOOP_CYCLES =~ ^[0-9]+$ ]] || LOOP_CYCLES=0
	printf '%s\n' "$$" >"$(agent_state_dir)/agent.pid"
	trap _loop_on_term TERM INT
	trap _loop_on_usr1 USR1
	log_info "agent: $(bundle_version "$OROS_HOME") from $OROS_HOME, server ${CONF[SERVER_URL]}"
	if saved=$(agent_load_saved_config); then
		agent_apply_config "$saved" || true
	fi
	_loop_start_events
	[[ -e "$(agent_state_dir)/unauthorized" ]] || loop_hello || true
	_loop_poller_start
	while :; do
		loop_cycle || log_warn "agent: cycle failed"
		((LOOP_RESTART)) && _loop_reexec
		sleep "$LOOP_INTERVAL" &
		LOOP_SLEEPER=$!
		wait "$LOOP_SLEEPER" 2>/dev/null || true
		LOOP_SLEEPER=''
		((LOOP_RESTART)) && _loop_reexec
	done
}
