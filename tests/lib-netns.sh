# tests/lib-netns.sh: private test networks for the discovery tests, built
# from network namespaces and veth pairs on a bridge.  Sourced (after
# tests/lib.sh), not run.  Needs root and iproute2, nothing else; skips
# (exit 77) where the kernel or the user cannot create namespaces.
#
# Everything lives in namespaces this library creates: a switch namespace
# holding the bridge, one namespace per host, routers and routed hosts.  No
# interface is ever created in the root namespace (each veth pair is made
# inside the switch or router namespace with its peer placed straight into
# the host's), and no namespace is ever joined to the machine's own network,
# so test traffic (10.231.0.0/16, 10.232.0.0/16, multicast) cannot leave.
#
#   netns_init wsd                     # skip unless we can; cleanup on exit
#   netns_switch                       # the bridge every host plugs into
#   netns_host cams1 10.231.1 10 9     # 10.231.1.10-.19 on eth0 ($NETNS_CAMS1)
#   netns_host nms 10.231.1 2          # 10.231.1.2 ($NETNS_NMS)
#   netns_router rtr 10.231.1 1        # 10.231.1.1 on the bridge
#   netns_routed_host far rtr 10.232.5 20 4   # 10.232.5.20-.24 behind rtr
#   netns_route nms 10.232.5 rtr       # nms reaches 10.232.5.0/24 via rtr
#   ip netns exec "$NETNS_CAMS1" "$CAMSIM" ... &    # $! is camsim itself
#   netns_exec nms ping -c1 10.232.5.20
#
# Names and variables (NAME: letters, digits, _ and -; upper-cased, with -
# as _, in variable names):
#   NETNS_ID            this run's id: the shell's pid (pid, "r" and a
#                       random number if a killed run left that pid's names)
#   NETNS_<NAME>        the namespace's real name, for "ip netns exec"
#   NETNS_ADDR_<NAME>   its first address (the router's: its bridge side)
#   NETNS_ADDRS_<NAME>  all its addresses on eth0, space separated
#   NETNS_SWITCH        the switch namespace; the bridge in it is br0
# Real namespace names are PREFIX-ID-NAME; every host's interface is eth0
# (a router's routed sides are eth1, eth2, ...).
#
# Multicast: the bridge floods it to every port (no snooping) and every
# namespace routes 224.0.0.0/4 out of eth0.  Routers forward unicast only,
# so multicast never reaches a routed host: only a unicast sweep does.
#
# Cleanup: netns_init chains an EXIT trap in front of the one already set
# (tests/lib.sh's cleanup), and makes INT and TERM exit (running their
# previous handler first if it differs from the EXIT one), so the EXIT trap
# always runs.  netns_cleanup kills whatever still runs in our namespaces
# and deletes them; it is idempotent.  A test that sets its own trap after
# netns_init must call netns_cleanup from it.  Bash runs traps only between
# commands: wait in short steps (wait_until) or with "wait", not one long
# foreground sleep.  A test killed with SIGKILL leaves its namespaces behind
# ("ip netns list | grep -- -PID-"; they hold nothing but test addresses).

NETNS_ID=
NETNS_SWITCH=
_NETNS_PREFIX=
_NETNS_LIST=
_NETNS_PORTS=0
_NETNS_PREV_EXIT=
_NETNS_PREV_INT=
_NETNS_PREV_TERM=

_netns_skip() { echo "SKIP: $*"; exit 77; }
_netns_die() { echo "ERROR: netns: $*" >&2; exit 99; }

# _netns_var NAME: the variable suffix for NAME (cams-1 -> CAMS_1).
_netns_var() {
	local v=${1^^}
	printf '%s' "${v//-/_}"
}

# _netns_trap_cmd SIGNAL: the command currently trapped for SIGNAL, or "".
_netns_trap_cmd() {
	local t c
	t=$(trap -p "$1")
	[ -n "$t" ] || return 0
	t=${t#trap -- }
	t=${t% *}
	eval "c=$t"
	printf '%s' "$c"
}

_netns_on_exit() {
	# What the test started, in order (tests/lib.sh), before the rest.
	! declare -F stop_pids >/dev/null || stop_pids
	netns_cleanup
	eval "$_NETNS_PREV_EXIT"
}

# _netns_on_signal SIG STATUS: the previous handler (unless the EXIT one,
# which exit runs anyway), then exit, which runs _netns_on_exit.
_netns_on_signal() {
	local prev
	eval "prev=\$_NETNS_PREV_$1"
	if [ -n "$prev" ] && [ "$prev" != "$_NETNS_PREV_EXIT" ]; then
		eval "$prev"
	fi
	exit "$2"
}

# netns_init PREFIX: skip unless namespaces, veths and bridges can be made
# here; choose this run's names; install the cleanup traps.
netns_init() {
	[ $# = 1 ] || _netns_die "usage: netns_init PREFIX"
	case $1 in
	'' | *[!A-Za-z0-9_-]*) _netns_die "bad prefix '$1'" ;;
	esac
	[ -z "$NETNS_ID" ] || _netns_die "netns_init called twice"
	[ "$EUID" = 0 ] || _netns_skip "network namespaces need root"
	command -v ip >/dev/null || _netns_skip "ip not installed (Debian package iproute2)"
	NETNS_ID=$$
	# A namespace of ours left behind by a killed run under the same pid.
	if ip netns list 2>/dev/null | grep -q "^$1-$NETNS_ID-"; then
		NETNS_ID=$$r$RANDOM
	fi
	_NETNS_PREFIX=$1-$NETNS_ID

	_NETNS_PREV_EXIT=$(_netns_trap_cmd EXIT)
	_NETNS_PREV_INT=$(_netns_trap_cmd INT)
	_NETNS_PREV_TERM=$(_netns_trap_cmd TERM)
	trap _netns_on_exit EXIT
	trap '_netns_on_signal INT 130' INT
	trap '_netns_on_signal TERM 143' TERM

	local probe=$_NETNS_PREFIX-probe err
	_NETNS_LIST=$probe # cleaned up if we are killed while probing
	if ! err=$(ip netns add "$probe" 2>&1); then
		_netns_skip "cannot create a network namespace: $err"
	fi
	if ! err=$(ip -n "$probe" link add pa type veth peer name pb 2>&1); then
		ip netns del "$probe" 2>/dev/null
		_netns_skip "cannot create a veth pair: $err"
	fi
	if ! err=$(ip -n "$probe" link add br0 type bridge mcast_snooping 0 2>&1); then
		ip netns del "$probe" 2>/dev/null
		_netns_skip "cannot create a bridge: $err"
	fi
	ip netns del "$probe" || _netns_die "cannot delete $probe"
	_NETNS_LIST=
}

# netns_name NAME: the real name of one of our namespaces.
netns_name() {
	[ -n "$_NETNS_PREFIX" ] || _netns_die "netns_init first"
	printf '%s' "$_NETNS_PREFIX-$1"
}

# netns_exec NAME CMD...: run CMD in namespace NAME (in the foreground: for
# a background process use ip netns exec "$NETNS_NAME" CMD & so that $! is
# CMD's own pid).
netns_exec() {
	local ns
	ns=$(netns_name "$1") || exit 99
	shift
	ip netns exec "$ns" "$@"
}

# _netns_add NAME: create namespace NAME with its loopback up; sets
# NETNS_<NAME>.
_netns_add() {
	local ns
	case $1 in
	'' | *[!A-Za-z0-9_-]*) _netns_die "bad namespace name '$1'" ;;
	esac
	case $(_netns_var "$1") in
	ID | ADDR_* | ADDRS_*) _netns_die "reserved namespace name '$1'" ;;
	esac
	ns=$(netns_name "$1") || exit 99
	case " $_NETNS_LIST " in
	*" $ns "*) _netns_die "namespace $1 already exists" ;;
	esac
	# Listed first: a signal during "ip netns add" must not leak it.
	_NETNS_LIST="$_NETNS_LIST $ns"
	ip netns add "$ns" || _netns_die "cannot create namespace $ns"
	ip -n "$ns" link set lo up || _netns_die "$ns: lo"
	printf -v "NETNS_$(_netns_var "$1")" '%s' "$ns"
}

# _netns_check_subnet SUBNET_PREFIX: three octets, as in 10.231.1.
_netns_check_subnet() {
	[[ $1 =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] &&
		[ "${BASH_REMATCH[1]}" -le 255 ] && [ "${BASH_REMATCH[2]}" -le 255 ] &&
		[ "${BASH_REMATCH[3]}" -le 255 ] ||
		_netns_die "bad subnet prefix '$1' (want three octets, e.g. 10.231.1)"
}

# _netns_addrs NAME IF SUBNET_PREFIX HOSTNUM EXTRA: put SUBNET.HOSTNUM/24 and
# EXTRA consecutive addresses after it on IF, bring IF up, route multicast
# out of it; sets NETNS_ADDR_<NAME> and NETNS_ADDRS_<NAME>.
_netns_addrs() {
	local ns var i addrs=''
	ns=$(netns_name "$1")
	var=$(_netns_var "$1")
	_netns_check_subnet "$3"
	case $4$5 in
	*[!0-9]*) _netns_die "bad host number or count '$4' '$5'" ;;
	esac
	[ "$4" -ge 1 ] && [ $(($4 + $5)) -le 254 ] ||
		_netns_die "$1: $3.$4 plus $5 more leaves $3.1-254"
	for i in $(seq "$4" $(($4 + $5))); do
		ip -n "$ns" addr add "$3.$i/24" dev "$2" ||
			_netns_die "$ns: address $3.$i"
		addrs="$addrs${addrs:+ }$3.$i"
	done
	ip -n "$ns" link set "$2" up || _netns_die "$ns: $2 up"
	ip -n "$ns" route add 224.0.0.0/4 dev "$2" ||
		_netns_die "$ns: multicast route"
	printf -v "NETNS_ADDR_$var" '%s' "$3.$4"
	printf -v "NETNS_ADDRS_$var" '%s' "$addrs"
}

# netns_switch: the switch namespace and its bridge br0: no STP, no forward
# delay, no multicast snooping (multicast floods to every port).
netns_switch() {
	[ -z "$NETNS_SWITCH" ] || _netns_die "netns_switch called twice"
	_netns_add switch # sets NETNS_SWITCH
	ip -n "$NETNS_SWITCH" link add br0 type bridge stp_state 0 \
		forward_delay 0 mcast_snooping 0 || _netns_die "bridge"
	ip -n "$NETNS_SWITCH" link set br0 up || _netns_die "bridge up"
}

# _netns_plug NAME: a veth from the bridge to eth0 in namespace NAME.  The
# bridge side, v<last 5 digits of the pid>s<N>, stays in the switch
# namespace.
_netns_plug() {
	local ns port
	[ -n "$NETNS_SWITCH" ] || _netns_die "netns_switch first"
	ns=$(netns_name "$1")
	_NETNS_PORTS=$((_NETNS_PORTS + 1))
	port=$(printf '%05d' "${NETNS_ID%%r*}")
	port=v${port: -5}s$_NETNS_PORTS # at most 10 characters
	ip -n "$NETNS_SWITCH" link add "$port" type veth \
		peer name eth0 netns "$ns" || _netns_die "$ns: veth"
	ip -n "$NETNS_SWITCH" link set "$port" master br0 ||
		_netns_die "$ns: bridge port"
	ip -n "$NETNS_SWITCH" link set "$port" up || _netns_die "$ns: port up"
}

# netns_host NAME SUBNET_PREFIX HOSTNUM [EXTRA_ADDR_COUNT]: a host on the
# bridge with SUBNET_PREFIX.HOSTNUM/24 and EXTRA_ADDR_COUNT (default 0)
# further consecutive addresses, all on eth0.
netns_host() {
	[ $# = 3 ] || [ $# = 4 ] ||
		_netns_die "usage: netns_host NAME SUBNET_PREFIX HOSTNUM [EXTRA_ADDR_COUNT]"
	_netns_add "$1"
	_netns_plug "$1"
	_netns_addrs "$1" eth0 "$2" "$3" "${4:-0}"
}

# netns_router NAME SUBNET_PREFIX HOSTNUM: a host on the bridge, at
# SUBNET_PREFIX.HOSTNUM/24, that forwards unicast (ip_forward=1) to the
# routed hosts behind it.  It routes no multicast.
netns_router() {
	[ $# = 3 ] || _netns_die "usage: netns_router NAME SUBNET_PREFIX HOSTNUM"
	netns_host "$1" "$2" "$3"
	printf -v "_NETNS_RIF_$(_netns_var "$1")" '%s' 0
	ip netns exec "$(netns_name "$1")" \
		sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward' ||
		_netns_die "$1: ip_forward"
}

# netns_routed_host NAME ROUTER SUBNET_PREFIX HOSTNUM [EXTRA_ADDR_COUNT]: a
# host behind ROUTER on its own /24: the router's next interface, eth<N>,
# takes SUBNET_PREFIX.1 and the host SUBNET_PREFIX.HOSTNUM (HOSTNUM > 1) and
# EXTRA_ADDR_COUNT more on its eth0, with a default route via the router.
netns_routed_host() {
	[ $# = 4 ] || [ $# = 5 ] ||
		_netns_die "usage: netns_routed_host NAME ROUTER SUBNET_PREFIX HOSTNUM [EXTRA_ADDR_COUNT]"
	local rvar n rns ns rif
	rvar=_NETNS_RIF_$(_netns_var "$2")
	[ -n "${!rvar:-}" ] || _netns_die "$2 is not a router (netns_router first)"
	[ "$4" != 1 ] || _netns_die "$1: $3.1 is the router's"
	n=$((${!rvar} + 1))
	printf -v "$rvar" '%s' "$n"
	rif=eth$n
	rns=$(netns_name "$2")
	_netns_add "$1"
	ns=$(netns_name "$1")
	ip -n "$rns" link add "$rif" type veth peer name eth0 netns "$ns" ||
		_netns_die "$ns: veth to $2"
	ip -n "$rns" addr add "$3.1/24" dev "$rif" || _netns_die "$2: $3.1"
	ip -n "$rns" link set "$rif" up || _netns_die "$2: $rif up"
	_netns_addrs "$1" eth0 "$3" "$4" "${5:-0}"
	ip -n "$ns" route add default via "$3.1" || _netns_die "$ns: default route"
}

# netns_route HOST SUBNET_PREFIX ROUTER: in namespace HOST (on the router's
# bridge subnet), route SUBNET_PREFIX.0/24 via ROUTER's bridge address.
netns_route() {
	[ $# = 3 ] || _netns_die "usage: netns_route HOST SUBNET_PREFIX ROUTER"
	local avar
	_netns_check_subnet "$2"
	avar=NETNS_ADDR_$(_netns_var "$3")
	[ -n "${!avar:-}" ] || _netns_die "no router $3"
	ip -n "$(netns_name "$1")" route add "$2.0/24" via "${!avar}" ||
		_netns_die "$1: route to $2.0/24 via $3"
}

# netns_cleanup: stop every process still in our namespaces, then delete
# them (which deletes their veths).  Idempotent; safe before netns_init.
netns_cleanup() {
	local ns list='' n
	for ns in $_NETNS_LIST; do list="$ns $list"; done # newest first
	_NETNS_LIST=
	NETNS_SWITCH=
	[ -n "$list" ] || return 0
	for ns in $list; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	done
	for ns in $list; do
		n=40 # 2 s for a clean exit, then SIGKILL
		while [ -n "$(ip netns pids "$ns" 2>/dev/null)" ] && [ $n -gt 0 ]; do
			sleep 0.05
			n=$((n - 1))
		done
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	return 0
}

# netns_audit_cams NS SPEC...: one camsim in namespace NS serving each
# SPEC (PROFILE@ADDR:PORT) to user audit, password audit-pass (PW names its
# file); until it is ready, or the test ends.  Needs tests/lib.sh.
netns_audit_cams() {
	local ns=$1 spec args=()
	shift
	PW=$(password_file audit audit-pass)
	for spec; do args+=("$spec,user=audit,password-file=$PW"); done
	ip netns exec "$ns" "$CAMSIM" -w -d "$PROFILES" -r "$T/ready" \
		-l "$T/sim.log" "${args[@]}" >>"$T/sim.out" 2>&1 &
	wait_for_file "$T/ready" || { cat "$T/sim.out"; fail "camsim"; exit 1; }
}
