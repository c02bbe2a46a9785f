# shellcheck shell=bash
# agent.sh — the agent's state in the ramdisk, miner control and applying configs.
#
# State ($OROS_RUN_DIR/state):
#   config.json         last good effective config (also in OROS_PERSIST_DIR when set)
#   applied-miner.json  jq -S of the .miner block last applied, applied-oc.json of .oc
#   watchdog.json       the watchdog state (wd_decide)
#   miner-stopped       present while a user (stop_miner) wants the miner off
#   unauthorized        present after a 401: the agent stops talking to the server
#   miner.lock/         one miner operation at a time (main loop and command runner)
#   commands/<id>/      commands already run (at-least-once delivery)
#
#   agent_state_dir | agent_config | agent_save_config CONFIG
#   agent_lock / agent_unlock
#   agent_gpus                  NVIDIA then AMD GPUs (JSON array, lost ones included)
#   agent_miner_name [CONFIG]   .miner.name or nothing
#   agent_miner_start | agent_miner_stop | agent_miner_restart   (take the lock)
#   agent_apply_config CONFIG   apply what changed; OC before the miner
#   agent_apply_oc [CONFIG]     (re-)apply OC; events to the queue
#   agent_ensure_miner          start the miner if it should run and does not
#
# Needs log, evq, nvidia, amd, oc, miner, watchdog.

agent_state_dir() {
	printf '%s/state' "${OROS_RUN_DIR:-/run/oros}"
}

agent_config() {
	cat -- "$(agent_state_dir)/config.json" 2>/dev/null
}

# _agent_write FILE CONTENT — atomic write (aside, then rename).
_agent_write() {
	printf '%s\n' "$2" >"$1.tmp.$BASHPID" && mv -f -- "$1.tmp.$BASHPID" "$1"
}

# agent_save_config CONFIG — keep it as the last good config.
agent_save_config() {
	local dir
	dir=$(agent_state_dir)
	mkdir -p -- "$dir" || return 1
	_agent_write "$dir/config.json" "$1" || return 1
	if [[ -n ${OROS_PERSIST_DIR:-} ]]; then
		(umask 077 && mkdir -p -- "$OROS_PERSIST_DIR" &&
			_agent_write "$OROS_PERSIST_DIR/config.json" "$1") ||
			log_warn "agent: could not keep the config in $OROS_PERSIST_DIR"
	fi
	return 0
}

# agent_load_saved_config — the ramdisk copy, else the persistent one; valid JSON only.
agent_load_saved_config() {
	local f
	for f in "$(agent_state_dir)/config.json" "${OROS_PERSIST_DIR:+$OROS_PERSIST_DIR/config.json}"; do
		[[ -n $f && -r $f ]] || continue
		jq -ce 'select(type == "object" and (.version | type == "string"))' "$f" 2>/dev/null &&
			return 0
	done
	return 1
}

agent_lock() {
	local d i pid
	d="$(agent_state_dir)/miner.lock"
	for ((i = 0; i < 1200; i++)); do
		if mkdir -- "$d" 2>/dev/null; then
			printf '%s\n' "$BASHPID" >"$d/pid"
			return 0
		fi
		pid=$(cat -- "$d/pid" 2>/dev/null) || pid=''
		if [[ $pid =~ ^[0-9]+$ ]] && ! kill -0 "$pid" 2>/dev/null; then
			rm -rf -- "$d"
			continue
		fi
		sleep 0.1
	done
	log_error "agent: miner lock still held after 120 s"
	return 1
}

agent_unlock() {
	rm -rf -- "$(agent_state_dir)/miner.lock"
}

agent_gpus() {
	jq -cs 'add // []' <(nv_gpus_json) <(amd_gpus_json)
}

agent_miner_name() {
	local config=${1:-}
	[[ -n $config ]] || config=$(agent_config) || return 0
	jq -r '.miner.name // "" | strings' <<<"$config" 2>/dev/null
}

# _agent_wd_reset — a miner the agent (re)started gets a fresh hashrate window.
_agent_wd_reset() {
	local f st
	f="$(agent_state_dir)/watchdog.json"
	st=$(cat -- "$f" 2>/dev/null) || return 0
	st=$(jq -c '.low_since = null' <<<"$st" 2>/dev/null) && _agent_write "$f" "$st"
}

# _agent_miner_start_unlocked CONFIG
_agent_miner_start_unlocked() {
	local config=$1 name
	name=$(agent_miner_name "$config")
	[[ -n $name ]] || return 0
	miner_running && return 0
	if ! miner_load "$name" || ! miner_install "$name" "$config"; then
		evq_push "$(evq_event config_failed critical "miner $name could not be installed or loaded" \
			"$(jq -cn --arg m "$name" '{miner: $m}')")"
		return 1
	fi
	_agent_wd_reset
	miner_start "$name" "$config"
}

agent_miner_start() {
	local config rc=0
	config=$(agent_config) || return 1
	agent_lock || return 1
	rm -f -- "$(agent_state_dir)/miner-stopped"
	_agent_miner_start_unlocked "$config" || rc=$?
	agent_unlock
	return "$rc"
}

# agent_miner_stop [BY_USER] — BY_USER=1 keeps it off until start_miner/restart_miner.
agent_miner_stop() {
	agent_lock || return 1
	[[ ${1:-0} == 1 ]] && : >"$(agent_state_dir)/miner-stopped"
	miner_stop
	agent_unlock
}

agent_miner_restart() {
	local config rc=0
	config=$(agent_config) || return 1
	agent_lock || return 1
	rm -f -- "$(agent_state_dir)/miner-stopped"
	miner_stop
	_agent_miner_start_unlocked "$config" || rc=$?
	agent_unlock
	return "$rc"
}

# agent_miner_wanted — should a miner run now? (configured, not stopped by a user or
# by the overheat rule)
agent_miner_wanted() {
	local dir
	dir=$(agent_state_dir)
	[[ -n $(agent_miner_name) && ! -e $dir/miner-stopped ]] || return 1
	! jq -e '.overheat.action == "stop_miner"' "$dir/watchdog.json" >/dev/null 2>&1
}

agent_ensure_miner() {
	agent_miner_wanted || return 0
	miner_running && return 0
	log_info "agent: the miner should run and does not; starting it"
	agent_miner_start
}

agent_apply_oc() {
	local config=${1:-}
	[[ -n $config ]] || config=$(agent_config) || return 1
	oc_apply "$config" "$(agent_gpus)" | evq_push
}

# agent_apply_config CONFIG — compare the normalised .oc and .miner blocks with the
# ones last applied; re-apply OC only when .oc changed, restart the miner only when
# .miner changed.
agent_apply_config() {
	local config=$1 dir miner oc old_miner old_oc changed=()
	if ! jq -e 'type == "object" and (.version | type == "string")' <<<"$config" >/dev/null 2>&1; then
		log_error "agent: refusing a config that is not a versioned JSON object"
		return 1
	fi
	dir=$(agent_state_dir)
	agent_save_config "$config" || return 1
	miner=$(jq -cS '.miner // null' <<<"$config")
	oc=$(jq -cS '.oc // {}' <<<"$config")
	old_miner=$(cat -- "$dir/applied-miner.json" 2>/dev/null) || old_miner=''
	old_oc=$(cat -- "$dir/applied-oc.json" 2>/dev/null) || old_oc=''
	if [[ $oc != "$old_oc" ]]; then
		agent_apply_oc "$config"
		_agent_write "$dir/applied-oc.json" "$oc"
		changed+=(oc)
	fi
	if [[ $miner != "$old_miner" ]]; then
		agent_lock || return 1
		miner_stop
		_agent_miner_start_unlocked "$config" || true
		agent_unlock
		_agent_write "$dir/applied-miner.json" "$miner"
		changed+=(miner)
	fi
	log_info "agent: config $(jq -r .version <<<"$config") applied (changed: ${changed[*]:-nothing})"
	if ((${#changed[@]})); then
		evq_push "$(evq_event config_applied info "config $(jq -r .version <<<"$config") applied" \
			"$(jq -cn --arg v "$(jq -r .version <<<"$config")" \
				'{version: $v, changed: $ARGS.positional}' --args -- "${changed[@]}")")"
	fi
	return 0
}

# agent_unauthorized — the server refused our token: stop talking to it (the miner and
# the local watchdog go on), say so loudly. A new RIG_TOKEN in OROS_CONF resumes.
agent_unauthorized() {
	local f
	f="$(agent_state_dir)/unauthorized"
	[[ -e $f ]] && return 0
	mkdir -p -- "$(agent_state_dir)" && : >"$f"
	log_error "agent: THE SERVER REFUSED THIS RIG'S TOKEN (401). Not talking to it any more;" \
		"mining goes on. Put a new rig.conf (console: rig → rig.conf) on the rig."
}

# agent_request_restart — ask the main agent process to re-exec itself (after an upgrade).
agent_request_restart() {
	local pid
	pid=$(cat -- "$(agent_state_dir)/agent.pid" 2>/dev/null) || return 1
	[[ $pid =~ ^[0-9]+$ ]] && kill -USR1 "$pid" 2>/dev/null
}
