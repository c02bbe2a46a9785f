# shellcheck shell=bash
# boot.sh — the steps of oros-boot: ramdisk, enrollment, credentials for the agent.
#
#   boot_ramdisk           mount a tmpfs on OROS_RUN_DIR (OROS_RAMDISK_MOUNT: auto = when
#                          root and not mounted yet; yes; no = just create the directory)
#   boot_enroll CONF_FILE  POST /enroll with CONF[ENROLL_KEY]; on success CONF holds
#                          RIG_ID/RIG_TOKEN, ENROLL_KEY is dropped and CONF_FILE is
#                          rewritten atomically (the only write to the boot medium).
#                          → 0 enrolled, 1 try again later, 2 the key was refused (401)
#   boot_enroll_loop CONF_FILE   boot_enroll until it succeeds (back-off 5 s … 5 min);
#                          returns 2 when the key is refused
#   boot_agent_conf        write CONF to $OROS_RUN_DIR/secrets/rig.conf (0600) for the agent
#
# Needs conf.sh, http.sh, log.sh, sysinfo.sh. Settings: OROS_RAMDISK_SIZE (1g).

boot_ramdisk() {
	local dir=${OROS_RUN_DIR:-/run/oros} mode=${OROS_RAMDISK_MOUNT:-auto}
	mkdir -p -- "$dir" || return 1
	case $mode in
	no) return 0 ;;
	auto) [[ $(id -u) == 0 ]] || return 0 ;;
	esac
	mountpoint -q -- "$dir" && return 0
	mount -t tmpfs -o "size=${OROS_RAMDISK_SIZE:-1g},mode=0755,nosuid,nodev" oros-ramdisk "$dir"
}

# boot_enroll CONF_FILE
boot_enroll() {
	local file=$1 out hwid body rig_id token rc=0
	hwid=$(sys_hardware_id) || {
		log_error "enroll: no usable hardware id (NIC MAC or /etc/machine-id)"
		return 1
	}
	body=$(jq -cn --arg k "${CONF[ENROLL_KEY]}" --arg h "$hwid" --arg n "$(sys_hostname)" \
		'{enroll_key: $k, hardware_id: $h, hostname: $n}')
	out=$(mktemp) || return 1
	http_request POST /api/rig/v1/enroll "$out" "$body" || rc=$?
	if ((rc)); then
		if [[ $HTTP_STATUS == 401 ]]; then
			log_error "enroll: the server refused ENROLL_KEY (401): get a new enroll.conf or rig.conf"
			rm -f -- "$out"
			return 2
		fi
		log_warn "enroll: failed (HTTP $HTTP_STATUS); will retry"
		rm -f -- "$out"
		return 1
	fi
	rig_id=$(jq -r '.rig_id // "" | strings' "$out" 2>/dev/null) || rig_id=''
	token=$(jq -r '.token // "" | strings' "$out" 2>/dev/null) || token=''
	rm -f -- "$out"
	if [[ ! $rig_id =~ ^[A-Za-z0-9-]{1,64}$ || ! $token =~ ^orr_[A-Za-z0-9_-]{8,200}$ ]]; then
		log_error "enroll: the answer has no valid rig_id/token"
		return 1
	fi
	CONF["RIG_ID"]=$rig_id
	CONF["RIG_TOKEN"]=$token
	unset 'CONF[ENROLL_KEY]'
	if conf_write_atomic "$file"; then
		log_info "enroll: enrolled as rig $rig_id; $file now holds RIG_ID and RIG_TOKEN"
	else
		# A read-only medium: run with the token in memory; the next boot enrolls
		# again and gets the same rig (same hardware id) with a new token.
		log_warn "enroll: enrolled as rig $rig_id but could not rewrite $file"
	fi
	return 0
}

boot_enroll_loop() {
	local delay=5 rc
	while :; do
		rc=0
		boot_enroll "$1" || rc=$?
		((rc == 0 || rc == 2)) && return "$rc"
		sleep "$delay"
		delay=$((delay * 2 > 300 ? 300 : delay * 2))
	done
}

boot_agent_conf() {
	local dir="${OROS_RUN_DIR:-/run/oros}/secrets"
	(umask 077 && mkdir -p -- "$dir") || return 1
	conf_write_atomic "$dir/rig.conf"
}
