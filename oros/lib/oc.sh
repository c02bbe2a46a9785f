# shellcheck shell=bash
# oc.sh — apply overclocking from the effective config, one GPU at a time.
#
# Planning and running are separate. A plan is a JSON array of steps computed by jq
# from the config (pure, testable):
#   {"setting":"power_limit_w","argv":["nvidia-smi","-i","0","-pl","130"]}
#   {"setting":"core_offset_mhz","skip":"no X display: nvidia-settings needs one"}
#   {"setting":"fan","invalid":"pct must be a whole number 0-100"}
# Running turns each argv into a bash array and hands it to the runner — never to a
# shell. Anything skipped, invalid or failed becomes an event; nothing is dropped.
#
#   oc_gpu_settings CONFIG VENDOR INDEX   vendor block with oc.per_gpu[INDEX] merged over
#   oc_nv_plan INDEX SETTINGS HAS_X       plan for one NVIDIA GPU (HAS_X: 1 or 0)
#   oc_amd_plan INDEX SETTINGS DEVICE_DIR plan for one AMD GPU (sysfs writes)
#   oc_run_plan VENDOR INDEX PLAN         run it; print events (JSON lines) on stdout
#   oc_apply CONFIG GPUS                  everything, for the GPUs in the inventory GPUS
#
# Settings: OC_RUNNER (function or command that runs one argv; default oc_exec),
# NV_SMI, NV_SETTINGS (command names), DISPLAY (X display for nvidia-settings).
# Needs evq.sh (evq_event) and amd.sh (amd_device_dir, amd_hwmon_dir).

# oc_exec ARGV... — the default runner.
oc_exec() {
	"$@"
}

# amd_sysfs_write PATH VALUE — one sysfs write (what the AMD argv steps call).
amd_sysfs_write() {
	printf '%s\n' "$2" >"$1"
}

# oc_have_x — can nvidia-settings reach an X server?
oc_have_x() {
	[[ -n ${DISPLAY:-} ]] && command -v "${NV_SETTINGS:-nvidia-settings}" >/dev/null 2>&1
}

# oc_gpu_settings CONFIG VENDOR INDEX — per-GPU values win; a per-GPU fan block
# replaces the vendor one as a whole (a mode change must not keep the old pct).
oc_gpu_settings() {
	jq -c --arg v "$2" --arg i "$3" '
	  ((.oc // {})[$v] // {}) as $base
	  | ((.oc // {}).per_gpu // {} | .[$i] // {} | .[$v] // {}) as $over
	  | ($base * $over) | if ($over | has("fan")) then .fan = $over.fan else . end' <<<"$1"
}

# Shared jq helpers for the plans.
# shellcheck disable=SC2016  # jq code, not shell
_OC_JQ_DEFS='
  def set($k): has($k) and .[$k] != null;
  def int_in($lo; $hi): type == "number" and . == floor and . >= $lo and . <= $hi;
  def fan_steps(auto; fixed):
    if set("fan") | not then empty
    elif (.fan | type) != "object" then {setting: "fan", invalid: "fan must be an object"}
    elif .fan.mode == "auto" then auto
    elif .fan.mode == "fixed" then
      if (.fan.pct | int_in(0; 100)) then fixed
      else {setting: "fan", invalid: "fan.pct must be a whole number 0-100"} end
    elif .fan.mode == "target" then
      {setting: "fan", skip: "fan mode \"target\" is not implemented on the rig yet"}
    else {setting: "fan", invalid: "unknown fan mode"} end;
'

# oc_nv_plan INDEX SETTINGS HAS_X
oc_nv_plan() {
	jq -c --arg i "$1" --argjson x "${3:-0}" --arg smi "${NV_SMI:-nvidia-smi}" \
		--arg ns "${NV_SETTINGS:-nvidia-settings}" "$_OC_JQ_DEFS"'
	  def nox($k): {setting: $k, skip: "no X display: nvidia-settings needs one"};
	  def attr($a; $v): [$ns, "-a", "[gpu:\($i)]/\($a)=\($v)"];
	  [
	    (if set("power_limit_w") then
	       if (.power_limit_w | int_in(1; 1000)) then
	         {setting: "power_limit_w", argv: [$smi, "-i", $i, "-pl", (.power_limit_w | tostring)]}
	       else {setting: "power_limit_w", invalid: "power_limit_w must be a whole number 1-1000"} end
	     else empty end),
	    (if set("core_lock_mhz") and .core_lock_mhz != 0 then
	       if (.core_lock_mhz | int_in(100; 4000)) then
	         {setting: "core_lock_mhz",
	          argv: [$smi, "-i", $i, "-lgc", "\(.core_lock_mhz),\(.core_lock_mhz)"]}
	       else {setting: "core_lock_mhz", invalid: "core_lock_mhz must be a whole number 100-4000"} end
	     else {setting: "core_lock_mhz", argv: [$smi, "-i", $i, "-rgc"]} end),
	    (.core_offset_mhz // 0) as $core
	    | if ($core | int_in(-1000; 1000) | not) then
	        {setting: "core_offset_mhz", invalid: "core_offset_mhz must be a whole number -1000..1000"}
	      elif $x == 1 then
	        {setting: "core_offset_mhz", argv: attr("GPUGraphicsClockOffsetAllPerformanceLevels"; $core)}
	      elif $core != 0 then nox("core_offset_mhz") else empty end,
	    (.mem_offset_mhz // 0) as $mem
	    | if ($mem | int_in(-2000; 4000) | not) then
	        {setting: "mem_offset_mhz", invalid: "mem_offset_mhz must be a whole number -2000..4000"}
	      elif $x == 1 then
	        {setting: "mem_offset_mhz",
	         argv: attr("GPUMemoryTransferRateOffsetAllPerformanceLevels"; $mem * 2)}
	      elif $mem != 0 then nox("mem_offset_mhz") else empty end,
	    fan_steps(
	      if $x == 1 then {setting: "fan", argv: attr("GPUFanControlState"; 0)} else empty end;
	      if $x == 1 then
	        {setting: "fan", argv: (attr("GPUFanControlState"; 1)
	          + ["-a", "[fan:\($i)]/GPUTargetFanSpeed=\(.fan.pct)"])}
	      else nox("fan") end)
	  ]' <<<"$2"
}

# _oc_od_states FILE SECTION — number of states listed under OD_SCLK: / OD_MCLK: in
# pp_od_clk_voltage (8 sclk states on Polaris, 2 on Navi); 0 when unknown.
_oc_od_states() {
	[[ -r $1 ]] || {
		echo 0
		return
	}
	awk -v sec="$2:" '/^[A-Z_]+:/ { in_sec = ($1 == sec); next }
		in_sec && /^[0-9]+:/ { n++ } END { print n + 0 }' "$1"
}

# oc_amd_plan INDEX SETTINGS DEVICE_DIR
oc_amd_plan() {
	local dev=$3 hw od=0
	hw=$(amd_hwmon_dir "$dev") || hw=''
	[[ -w $dev/pp_od_clk_voltage || -f $dev/pp_od_clk_voltage ]] && od=1
	jq -c --arg dev "$dev" --arg hw "$hw" --argjson od "$od" \
		--argjson sclk_n "$(_oc_od_states "$dev/pp_od_clk_voltage" OD_SCLK)" \
		--argjson mclk_n "$(_oc_od_states "$dev/pp_od_clk_voltage" OD_MCLK)" \
		--arg pwm_max "$(cat -- "$hw/pwm1_max" 2>/dev/null || echo 255)" "$_OC_JQ_DEFS"'
	  def w($file; $v): ["amd_sysfs_write", $file, ($v | tostring)];
	  def mv: if set("core_voltage_mv") then " \(.core_voltage_mv)" else "" end;
	  def mem_mv: if set("mem_voltage_mv") then " \(.mem_voltage_mv)"
	              elif set("core_voltage_mv") then " \(.core_voltage_mv)" else "" end;
	  def state($k; $n): if set($k) then .[$k] else ([$n - 1, 1] | max) end;
	  ($pwm_max | tonumber? // 255) as $pmax
	  | [
	    (if set("core_clock_mhz") or set("mem_clock_mhz") then
	       if $od != 1 then
	         {setting: "clocks", skip: "overdrive is off (boot with amdgpu.ppfeaturemask=0xffffffff)"}
	       elif (set("core_clock_mhz") and (.core_clock_mhz | int_in(300; 4000) | not))
	            or (set("mem_clock_mhz") and (.mem_clock_mhz | int_in(100; 3000) | not)) then
	         {setting: "clocks", invalid: "core_clock_mhz must be 300-4000, mem_clock_mhz 100-3000"}
	       elif (set("core_voltage_mv") and (.core_voltage_mv | int_in(600; 1300) | not))
	            or (set("mem_voltage_mv") and (.mem_voltage_mv | int_in(600; 1300) | not)) then
	         {setting: "clocks", invalid: "voltages must be whole numbers 600-1300 mV"}
	       elif (state("core_state"; $sclk_n) | int_in(0; 15) | not)
	            or (state("mem_state"; $mclk_n) | int_in(0; 15) | not) then
	         {setting: "clocks", invalid: "core_state/mem_state must be 0-15"}
	       else
	         {setting: "perf_level", argv: w("\($dev)/power_dpm_force_performance_level"; "manual")},
	         (if set("core_clock_mhz") then
	            {setting: "core_clock_mhz", argv: w("\($dev)/pp_od_clk_voltage";
	              "s \(state("core_state"; $sclk_n)) \(.core_clock_mhz)\(mv)")}
	          else empty end),
	         (if set("mem_clock_mhz") then
	            {setting: "mem_clock_mhz", argv: w("\($dev)/pp_od_clk_voltage";
	              "m \(state("mem_state"; $mclk_n)) \(.mem_clock_mhz)\(mem_mv)")}
	          else empty end),
	         {setting: "commit", argv: w("\($dev)/pp_od_clk_voltage"; "c")}
	       end
	     elif $od == 1 then
	       {setting: "clocks", argv: w("\($dev)/pp_od_clk_voltage"; "r")},
	       {setting: "commit", argv: w("\($dev)/pp_od_clk_voltage"; "c")},
	       {setting: "perf_level", argv: w("\($dev)/power_dpm_force_performance_level"; "auto")}
	     else empty end),
	    (if set("power_limit_w") then
	       if $hw == "" then {setting: "power_limit_w", skip: "no hwmon directory"}
	       elif (.power_limit_w | int_in(1; 1000)) then
	         {setting: "power_limit_w", argv: w("\($hw)/power1_cap"; .power_limit_w * 1000000)}
	       else {setting: "power_limit_w", invalid: "power_limit_w must be a whole number 1-1000"} end
	     else empty end),
	    (if $hw == "" then
	       (if set("fan") then {setting: "fan", skip: "no hwmon directory"} else empty end)
	     else
	       fan_steps(
	         {setting: "fan", argv: w("\($hw)/pwm1_enable"; 2)};
	         {setting: "fan", argv: w("\($hw)/pwm1_enable"; 1)},
	         {setting: "fan", argv: w("\($hw)/pwm1"; (.fan.pct * $pmax / 100 | round))})
	     end)
	  ]' <<<"$2"
}

# oc_run_plan VENDOR INDEX PLAN — run each step through the runner; print events.
oc_run_plan() {
	local vendor=$1 index=$2 plan=$3 step setting out rc data
	local -a argv applied=()
	while IFS= read -r step; do
		setting=$(jq -r '.setting' <<<"$step")
		if jq -e 'has("invalid")' <<<"$step" >/dev/null; then
			evq_event oc_invalid warning "GPU $index ($vendor): $setting not applied: $(jq -r .invalid <<<"$step")" \
				"$(jq -c --arg v "$vendor" '{vendor: $v, setting: .setting}' <<<"$step")" "$index"
			continue
		fi
		if jq -e 'has("skip")' <<<"$step" >/dev/null; then
			evq_event oc_not_applied warning "GPU $index ($vendor): $setting not applied: $(jq -r .skip <<<"$step")" \
				"$(jq -c --arg v "$vendor" '{vendor: $v, setting: .setting, reason: .skip}' <<<"$step")" "$index"
			continue
		fi
		mapfile -d '' -t argv < <(jq -j '.argv[] | tostring | . + "\u0000"' <<<"$step")
		rc=0
		out=$("${OC_RUNNER:-oc_exec}" "${argv[@]}" 2>&1) || rc=$?
		if ((rc != 0)); then
			((${#out} > 500)) && out=${out: -500}
			data=$(jq -cn --arg v "$vendor" --arg s "$setting" --argjson rc "$rc" \
				--arg out "$out" '{vendor: $v, setting: $s, exit_code: $rc, output: $out,
				  argv: $ARGS.positional}' --args -- "${argv[@]}")
			evq_event oc_failed warning "GPU $index ($vendor): $setting failed (exit $rc)" "$data" "$index"
			continue
		fi
		applied+=("$setting")
	done < <(jq -c '.[]' <<<"$plan")
	if ((${#applied[@]})); then
		data=$(jq -cn --arg v "$vendor" '{vendor: $v, applied: ($ARGS.positional | unique)}' \
			--args -- "${applied[@]}")
		evq_event oc_applied info "GPU $index ($vendor): overclock applied" "$data" "$index"
	fi
	return 0
}

# oc_apply CONFIG GPUS — apply OC to every GPU in the inventory GPUS (JSON array of
# {vendor,index,lost}); lost GPUs are left alone. Events on stdout.
oc_apply() {
	local config=$1 gpus=$2 vendor index settings plan has_x=0 dev key
	oc_have_x && has_x=1
	while IFS=$'\t' read -r vendor index; do
		settings=$(oc_gpu_settings "$config" "$vendor" "$index")
		case $vendor in
		nvidia) plan=$(oc_nv_plan "$index" "$settings" "$has_x") ;;
		amd)
			if ! dev=$(amd_device_dir "$index"); then
				evq_event oc_not_applied warning "GPU $index (amd): device not found in sysfs" \
					'{"vendor":"amd"}' "$index"
				continue
			fi
			plan=$(oc_amd_plan "$index" "$settings" "$dev")
			;;
		*) continue ;;
		esac
		oc_run_plan "$vendor" "$index" "$plan"
	done < <(jq -r '.[] | select(.lost != true and .index != null) | [.vendor, .index] | @tsv' <<<"$gpus")
	# Overrides for GPUs this rig does not have are reported, not silently ignored.
	while IFS= read -r key; do
		evq_event oc_not_applied warning "oc.per_gpu[\"$key\"]: no such GPU on this rig" \
			"$(jq -cn --arg k "$key" '{per_gpu_key: $k}')"
	done < <(jq -r --argjson gpus "$gpus" '
	  ((.oc // {}).per_gpu // {}) | keys[]
	  | select(. as $k | [$gpus[] | select(.lost != true) | (.index | tostring)] | index($k) | not)' \
		<<<"$config")
	return 0
}
