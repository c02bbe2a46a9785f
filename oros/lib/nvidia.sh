# shellcheck shell=bash
# nvidia.sh — NVIDIA GPU inventory and sensors from nvidia-smi, as JSON.
#
#   nv_query        run nvidia-smi and print its CSV (stdout and stderr, which is where
#                   "Unable to determine the device handle … GPU is lost" lines go)
#   nv_parse        CSV on stdin → JSON array of GPUs (see below)
#   nv_gpus_json    nv_query | nv_parse; prints [] when there is no nvidia-smi
#
# One GPU: {"vendor":"nvidia","index":0,"bus_id":"0000:01:00.0","name":…,"vbios":…,
#   "driver":…,"mem_total_mib":…,"temp_c":…,"mem_temp_c":…,"fan_pct":…,"power_w":…,
#   "power_limit_w":…,"core_mhz":…,"mem_mhz":…,"util_pct":…,"lost":false}
# A value nvidia-smi cannot give ([N/A], [Not Supported], [Unknown Error]…) is null.
# A GPU that fell off the bus is {"vendor":"nvidia","index":null,"bus_id":…,
#   "lost":true,"error":"GPU is lost…"}.
#
# Settings: NV_SMI (nvidia-smi; tests point it at a fixture printer).

NV_QUERY_FIELDS=index,pci.bus_id,name,vbios_version,driver_version,memory.total,temperature.gpu,temperature.memory,fan.speed,power.draw,power.limit,clocks.sm,clocks.mem,utilization.gpu

# nv_query — raw CSV; the exit status of nvidia-smi is ignored on purpose (it is
# non-zero when one GPU is lost, while the other rows are still good).
nv_query() {
	local smi=${NV_SMI:-nvidia-smi}
	command -v "$smi" >/dev/null 2>&1 || return 127
	"$smi" "--query-gpu=$NV_QUERY_FIELDS" --format=csv,noheader,nounits 2>&1 || true
}

# nv_parse — CSV (stdin) → JSON array.
nv_parse() {
	jq -R -s -c '
	  def bus: ascii_downcase
	    | capture("^(?<d>[0-9a-f]+):(?<rest>[0-9a-f]{2}:[0-9a-f]{2}\\.[0-9a-f])$")
	    | ((.d | ltrimstr("0000")) as $d | ("0000" + $d)[-4:] + ":" + .rest)
	    ;
	  def missing: test("^\\[?(N/A|Not Supported|Unknown Error|Unknown|ERR!|GPU is lost|Insufficient Permissions|Requires Pro)\\]?$"; "i");
	  def val: if . == "" or missing then null else . end;
	  def num: val | if . == null then null else (tonumber? // null) end;
	  split("\n") | map(sub("\r$"; "")) | map(select(test("\\S")))
	  | map(select(test("^No devices were found"; "i") | not))
	  | map(
	      if test("GPU is lost|Unable to determine the device handle"; "i") then
	        {vendor: "nvidia", index: null,
	         bus_id: ((capture("GPU ?(?<b>[0-9A-Fa-f]+:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\\.[0-9A-Fa-f])") | .b | bus) // null),
	         lost: true, error: (sub("^\\s+"; "") | sub("\\s+$"; ""))}
	      else
	        (split(",") | map(sub("^\\s+"; "") | sub("\\s+$"; ""))) as $f
	        # The name may itself hold commas: it is everything between the bus id and
	        # the last eleven fields.
	        | if ($f | length) < 14 or ($f[0] | test("^[0-9]+$") | not) then
	            {vendor: "nvidia", index: null, bus_id: null, lost: false, unparsed: .}
	          else
	            $f[-11:] as $t
	            | {vendor: "nvidia", index: ($f[0] | tonumber), bus_id: ($f[1] | bus // null),
	               name: ($f[2:-11] | join(", ") | val), vbios: ($t[0] | val),
	               driver: ($t[1] | val), mem_total_mib: ($t[2] | num), temp_c: ($t[3] | num),
	               mem_temp_c: ($t[4] | num), fan_pct: ($t[5] | num), power_w: ($t[6] | num),
	               power_limit_w: ($t[7] | num), core_mhz: ($t[8] | num),
	               mem_mhz: ($t[9] | num), util_pct: ($t[10] | num), lost: false}
	          end
	      end)'
}

# nv_gpus_json — the rig's NVIDIA GPUs; [] without nvidia-smi.
nv_gpus_json() {
	local out
	out=$(nv_query) || {
		echo '[]'
		return 0
	}
	# A line about a lost GPU and a good row never share a line; parse everything.
	nv_parse <<<"$out"
}
