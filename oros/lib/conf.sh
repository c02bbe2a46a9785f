# shellcheck shell=bash
# conf.sh — strict reader and atomic writer for rig.conf.
#
# rig.conf holds KEY=VALUE lines, `#` comments and blank lines. Values are taken
# literally: the file is never sourced and nothing in it is expanded, so `$(...)`,
# backticks and `;` stay text. One pair of matching surrounding quotes ('…' or "…") is
# removed, nothing else is interpreted. CRLF line ends are tolerated.
#
#   SERVER_URL   https://openrig.example.org        (http:// or https://)
#   RIG_ID       the rig's id            } after enrollment
#   RIG_TOKEN    orr_…                   }
#   ENROLL_KEY   ore_…                   before enrollment (dropped once enrolled)
#   CA_FILE      PEM CA bundle for a server with a private CA (optional): an absolute
#                path, or a path relative to the directory holding rig.conf
#
# conf_load FILE fills the global associative array CONF; errors name the file and line.

declare -gA CONF=()
CONF_KEYS=(SERVER_URL RIG_ID RIG_TOKEN ENROLL_KEY CA_FILE)

# _conf_err FILE LINE MESSAGE — one error format for every parse/validation failure.
_conf_err() {
	if [[ -n $2 ]]; then
		printf 'oros: %s:%s: %s\n' "$1" "$2" "$3" >&2
	else
		printf 'oros: %s: %s\n' "$1" "$3" >&2
	fi
}

# _conf_known KEY — is KEY one rig.conf may hold?
_conf_known() {
	local k
	for k in "${CONF_KEYS[@]}"; do
		[[ $k == "$1" ]] && return 0
	done
	return 1
}

# _conf_unquote VALUE — strip one pair of matching surrounding quotes, print the rest.
_conf_unquote() {
	local v=$1
	if ((${#v} >= 2)) && [[ ${v:0:1} == "${v: -1}" && ${v:0:1} == [\"\'] ]]; then
		v=${v:1:${#v}-2}
	fi
	printf '%s' "$v"
}

# conf_parse FILE — read FILE into CONF (cleared first). Returns 1 on the first error.
# shellcheck disable=SC2094  # _conf_err only names the file (it writes to stderr)
conf_parse() {
	local file=$1 line key value n=0
	CONF=()
	if [[ ! -r $file ]]; then
		_conf_err "$file" "" "cannot read the file"
		return 1
	fi
	while IFS= read -r line || [[ -n $line ]]; do
		n=$((n + 1))
		line=${line%$'\r'}
		[[ $line =~ ^[[:space:]]*(#.*)?$ ]] && continue
		if [[ ! $line =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]]; then
			_conf_err "$file" "$n" "expected KEY=VALUE (no spaces around '=')"
			return 1
		fi
		key=${BASH_REMATCH[1]}
		value=${BASH_REMATCH[2]}
		if [[ ! $key =~ ^[A-Z_][A-Z0-9_]*$ ]]; then
			_conf_err "$file" "$n" "key '$key' must be upper case ([A-Z_][A-Z0-9_]*)"
			return 1
		fi
		if ! _conf_known "$key"; then
			_conf_err "$file" "$n" "unknown key '$key' (known: ${CONF_KEYS[*]})"
			return 1
		fi
		if [[ -v CONF[$key] ]]; then
			_conf_err "$file" "$n" "duplicate key '$key'"
			return 1
		fi
		value=$(_conf_unquote "$value")
		if [[ $value == *[[:cntrl:]]* ]]; then
			_conf_err "$file" "$n" "value of '$key' contains control characters"
			return 1
		fi
		CONF[$key]=$value
	done <"$file"
	return 0
}

# conf_validate [FILE] — check CONF as a whole; FILE only names the source in errors.
conf_validate() {
	local file=${1:-rig.conf}
	if [[ -z ${CONF[SERVER_URL]:-} ]]; then
		_conf_err "$file" "" "SERVER_URL is required"
		return 1
	fi
	if [[ ! ${CONF[SERVER_URL]} =~ ^https?://[^[:space:]/?#]+([/?#][^[:space:]]*)?$ ]]; then
		_conf_err "$file" "" "SERVER_URL must be an http:// or https:// URL"
		return 1
	fi
	if [[ -n ${CONF[RIG_ID]:-} && -n ${CONF[RIG_TOKEN]:-} ]]; then
		return 0
	fi
	if [[ -n ${CONF[RIG_ID]:-} || -n ${CONF[RIG_TOKEN]:-} ]]; then
		_conf_err "$file" "" "RIG_ID and RIG_TOKEN go together"
		return 1
	fi
	if [[ -z ${CONF[ENROLL_KEY]:-} ]]; then
		_conf_err "$file" "" "either RIG_ID and RIG_TOKEN, or ENROLL_KEY, is required"
		return 1
	fi
	return 0
}

# conf_load FILE — parse and validate.
conf_load() {
	conf_parse "$1" && conf_validate "$1"
}

# conf_ca_file FILE — print the CA file path of CONF (relative paths are taken from
# the directory holding FILE); nothing when CA_FILE is not set.
conf_ca_file() {
	local ca=${CONF[CA_FILE]:-} dir
	[[ -n $ca ]] || return 0
	if [[ $ca != /* ]]; then
		dir=$(dirname -- "$1")
		ca="$dir/$ca"
	fi
	printf '%s' "$ca"
}

# conf_enrolled — true when the rig has its own credentials.
conf_enrolled() {
	[[ -n ${CONF[RIG_ID]:-} && -n ${CONF[RIG_TOKEN]:-} ]]
}

# _conf_quote VALUE — print VALUE so that conf_parse reads it back unchanged.
_conf_quote() {
	local v=$1
	if ((${#v} >= 2)) && [[ ${v:0:1} == "${v: -1}" && ${v:0:1} == [\"\'] ]]; then
		printf '"%s"' "$v"
	else
		printf '%s' "$v"
	fi
}

# conf_write_atomic FILE — write CONF to FILE: a private temp file in the same
# directory, flushed to disk, then renamed over FILE (a crash leaves old or new file,
# never half of one). Keys with empty values are left out.
conf_write_atomic() {
	local file=$1 dir tmp key
	dir=$(dirname -- "$file")
	for key in "${!CONF[@]}"; do
		if ! _conf_known "$key" || [[ ${CONF[$key]} == *[[:cntrl:]]* ]]; then
			_conf_err "$file" "" "refusing to write key '$key'"
			return 1
		fi
	done
	tmp=$(umask 077 && mktemp -- "$dir/.rig.conf.XXXXXX") || return 1
	{
		printf '# openrig rig configuration — written by oros %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
		for key in "${CONF_KEYS[@]}"; do
			[[ -n ${CONF[$key]:-} ]] || continue
			printf '%s=%s\n' "$key" "$(_conf_quote "${CONF[$key]}")"
		done
	} >"$tmp" || {
		rm -f -- "$tmp"
		return 1
	}
	if ! sync -- "$tmp" 2>/dev/null; then
		dd if=/dev/null of="$tmp" conv=notrunc,fsync status=none 2>/dev/null || {
			rm -f -- "$tmp"
			return 1
		}
	fi
	mv -f -- "$tmp" "$file" || {
		rm -f -- "$tmp"
		return 1
	}
	sync -- "$dir" 2>/dev/null || true
	return 0
}
