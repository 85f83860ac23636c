# scripts/mibgen.awk: CAMERA-COMPLIANCE-MIB's numbers, read from the MIB
# itself, for the C code and the tests that must agree with it.
#
#   awk -v mode=header -f scripts/mibgen.awk mibs/CAMERA-COMPLIANCE-MIB.txt
#       a C header (the build writes it to gen/cam_mib.h); its opening
#       comment documents the names it defines.
#   awk -v mode=list -f scripts/mibgen.awk mibs/CAMERA-COMPLIANCE-MIB.txt
#       one line per node and per textual convention, tab-separated:
#         name kind oid parent sub access syntax base constraint values
#       kind: module node scalar table entry column notification group
#             compliance tc; oid: dotted, no leading dot ("-" for a tc);
#       access: MAX-ACCESS or "-"; syntax: as written (a TC's name, or
#       INTEGER, BITS, OCTET STRING...); base: the SMI type under the TCs
#       (INTEGER, Unsigned32, Gauge32, Counter32, OCTET STRING, BITS...);
#       constraint: "size:0|32", "range:0..100" or "-"; values: an
#       enumeration or BITS as "1=ok,2=timeout" or "-".  A notification's
#       values are its OBJECTS, in order, as "1=name,2=name".
#
# Reads only the module: no IETF MIB file, no network, any POSIX awk
# (mawk, gawk, busybox).  What it needs from the modules the MIB imports
# is in known_imports() below, the one place that says where the parent
# of the MODULE-IDENTITY is: netSnmpPlaypen (NET-SNMP-MIB) and, for the
# day the project has its own enterprise number, enterprises.  It
# understands the SMIv2 this module uses (MODULE-IDENTITY, OBJECT-TYPE,
# NOTIFICATION-TYPE, groups, TEXTUAL-CONVENTION, INTEGER and BITS
# enumerations, SIZE and range constraints) and stops with an error on
# anything it cannot place, rather than guessing.

function known_imports()
{
	# OIDs of imported parents.
	root["netSnmpPlaypen"] = "1.3.6.1.4.1.8072.9999.9999"
	root["enterprises"] = "1.3.6.1.4.1"
	# Imported types: their SMI base type, constraint and enumeration.
	ext("Integer32", "INTEGER", "-", "-")
	ext("Unsigned32", "Unsigned32", "-", "-")
	ext("Gauge32", "Gauge32", "-", "-")
	ext("Counter32", "Counter32", "-", "-")
	ext("Counter64", "Counter64", "-", "-")
	ext("TimeTicks", "TimeTicks", "-", "-")
	ext("IpAddress", "IpAddress", "-", "-")
	ext("DisplayString", "OCTET STRING", "size:0..255", "-")
	ext("DateAndTime", "OCTET STRING", "size:8|11", "-")
	ext("MacAddress", "OCTET STRING", "size:6", "-")
	ext("TruthValue", "INTEGER", "-", "1=true,2=false")
	ext("InetAddress", "OCTET STRING", "size:0..255", "-")
	ext("InetAddressType", "INTEGER", "-",
	    "0=unknown,1=ipv4,2=ipv6,3=ipv4z,4=ipv6z,16=dns")
}

function ext(name, base, constraint, values)
{
	tbase[name] = base
	tcons[name] = constraint
	tvals[name] = values
	imported_type[name] = 1
}

function die(msg)
{
	printf "mibgen: %s: %s\n", FILENAME, msg >"/dev/stderr"
	failed = 1
	exit 1
}

function add(t)
{
	tok[++ntok] = t
	tline[ntok] = FNR
}

# ---- tokens: strings and comments dropped, ::= and .. kept whole ----------
{
	line = $0
	while (line != "") {
		if (instring) {
			if ((at = index(line, "\"")) == 0)
				break
			line = substr(line, at + 1)
			instring = 0
			continue
		}
		if (match(line, /^[ \t\r\f]+/)) {
			line = substr(line, RLENGTH + 1)
			continue
		}
		if (substr(line, 1, 2) == "--") {
			# A comment ends at the next "--" or at the end of line.
			line = substr(line, 3)
			if ((at = index(line, "--")) == 0)
				break
			line = substr(line, at + 2)
			continue
		}
		c = substr(line, 1, 1)
		if (c == "\"") {
			add("\"\"")
			instring = 1
			line = substr(line, 2)
			continue
		}
		if (substr(line, 1, 3) == "::=" || substr(line, 1, 2) == "..") {
			len = substr(line, 1, 3) == "::=" ? 3 : 2
			add(substr(line, 1, len))
			line = substr(line, len + 1)
			continue
		}
		if (match(line, /^'[^']*'[HhBb]/) ||
		    match(line, /^-?[A-Za-z0-9]+(-[A-Za-z0-9]+)*/)) {
			add(substr(line, 1, RLENGTH))
			line = substr(line, RLENGTH + 1)
			continue
		}
		add(c)
		line = substr(line, 2)
	}
}

# ---- parsing ----------------------------------------------------------------
function expect(i, want)
{
	if (tok[i] != want)
		die("line " tline[i] ": expected '" want "', found '" \
		    tok[i] "'")
}

# Skips a balanced { } or ( ) group starting at i; returns the index after.
function skip_group(i,    op, cl, level)
{
	op = tok[i]
	cl = op == "{" ? "}" : ")"
	level = 0
	for (; i <= ntok; i++) {
		if (tok[i] == op)
			level++
		else if (tok[i] == cl && --level == 0)
			return i + 1
	}
	die("unbalanced '" op "' at end of file")
}

# "( SIZE ( 0 | 32 ) )" or "( 0 .. 100 )" at i into cons[owner].
function parse_constraint(owner, i,    what, s, end)
{
	end = skip_group(i)
	what = "range"
	s = ""
	for (i++; i < end - 1; i++) {
		if (tok[i] == "SIZE")
			what = "size"
		else if (tok[i] != "(" && tok[i] != ")")
			s = s tok[i]
	}
	cons[owner] = what ":" s
	return end
}

# "{ a(1), b(2) }" at i into vals[owner] as "1=a,2=b".
function parse_named_numbers(owner, i,    s)
{
	s = ""
	for (i++; tok[i] != "}"; i++) {
		if (tok[i] == ",")
			continue
		expect(i + 1, "(")
		expect(i + 3, ")")
		if (tok[i + 2] !~ /^-?[0-9]+$/)
			die("line " tline[i] ": " tok[i] " has no number")
		s = s (s == "" ? "" : ",") tok[i + 2] "=" tok[i]
		i += 3
	}
	vals[owner] = s
	return i + 1
}

# A SYNTAX value at i for owner (an object or a TC); returns the index after.
function parse_type(owner, i)
{
	if (tok[i] == "SEQUENCE" && tok[i + 1] == "OF") {
		syntax[owner] = "SEQUENCE OF " tok[i + 2]
		return i + 3
	}
	if ((tok[i] == "OCTET" && tok[i + 1] == "STRING") ||
	    (tok[i] == "OBJECT" && tok[i + 1] == "IDENTIFIER")) {
		syntax[owner] = tok[i] " " tok[i + 1]
		i += 2
	} else {
		syntax[owner] = tok[i++]
	}
	if (tok[i] == "{")
		i = parse_named_numbers(owner, i)
	if (tok[i] == "(")
		i = parse_constraint(owner, i)
	return i
}

# "::= { parent n ... }" at i: the node's place.  Returns the index after.
function parse_place(name, i,    subs)
{
	expect(i, "::=")
	expect(i + 1, "{")
	parent[name] = tok[i + 2]
	subs = ""
	for (i += 3; tok[i] ~ /^[0-9]+$/; i++)
		subs = subs (subs == "" ? "" : ".") tok[i]
	expect(i, "}")
	if (subs == "")
		die("line " tline[i] ": " name " has no sub-identifier")
	sub_[name] = subs
	order[++nnodes] = name
	if (name in seen)
		die("line " tline[i] ": " name " defined twice")
	seen[name] = 1
	return i + 1
}

# name MACRO clauses ::= { parent n }, from the macro keyword at i.
function parse_macro(name, i,    o)
{
	macro[name] = tok[i]
	for (i++; i <= ntok && tok[i] != "::="; ) {
		if (tok[i] == "SYNTAX") {
			i = parse_type(name, i + 1)
		} else if (tok[i] == "MAX-ACCESS") {
			access[name] = tok[i + 1]
			i += 2
		} else if (tok[i] == "OBJECTS" &&
		    macro[name] == "NOTIFICATION-TYPE") {
			o = ""
			for (i += 2; tok[i] != "}"; i++)
				if (tok[i] != ",")
					o = o (o == "" ? "" : " ") tok[i]
			objects[name] = o
			i++
		} else if (tok[i] == "{" || tok[i] == "(") {
			i = skip_group(i)
		} else {
			i++
		}
	}
	return parse_place(name, i)
}

# Name ::= TEXTUAL-CONVENTION clauses SYNTAX type, from the keyword at i.
function parse_tc(name, i)
{
	for (; i <= ntok && tok[i] != "SYNTAX"; i++)
		;
	tcs[++ntcs] = name
	is_tc[name] = 1
	return parse_type(name, i + 1)
}

function is_macro(t)
{
	return t == "MODULE-IDENTITY" || t == "OBJECT-TYPE" ||
	    t == "NOTIFICATION-TYPE" || t == "OBJECT-GROUP" ||
	    t == "NOTIFICATION-GROUP" || t == "MODULE-COMPLIANCE" ||
	    t == "OBJECT-IDENTITY"
}

function parse(    i, t)
{
	for (i = 1; i <= ntok; ) {
		t = tok[i]
		if (t == "DEFINITIONS") {
			module = tok[i - 1]
			i++
		} else if (t == "IMPORTS") {
			for (; i <= ntok && tok[i] != ";"; i++)
				;
			i++
		} else if (t ~ /^[a-z]/ && is_macro(tok[i + 1])) {
			i = parse_macro(t, i + 1)
		} else if (t ~ /^[a-z]/ && tok[i + 1] == "OBJECT" &&
		    tok[i + 2] == "IDENTIFIER") {
			macro[t] = "OBJECT IDENTIFIER"
			i = parse_place(t, i + 3)
		} else if (t ~ /^[A-Z]/ && tok[i + 1] == "::=" &&
		    tok[i + 2] == "TEXTUAL-CONVENTION") {
			i = parse_tc(t, i + 3)
		} else if (t ~ /^[A-Z]/ && tok[i + 1] == "::=" &&
		    tok[i + 2] == "SEQUENCE" && tok[i + 3] == "{") {
			i = skip_group(i + 3)
		} else {
			i++
		}
	}
	if (module == "" || nnodes == 0)
		die("no SMIv2 module found")
}

# ---- what the parse means ----------------------------------------------------
function oid_of(name)
{
	if (name in oid)
		return oid[name]
	if (name in root)
		return root[name]
	if (!(name in parent))
		die(name " is neither defined in " module \
		    " nor an import mibgen.awk knows (see known_imports)")
	if (++depth > 128)
		die("the OID of " name " loops")
	oid[name] = oid_of(parent[name]) "." sub_[name]
	depth--
	return oid[name]
}

function kind_of(name,    m)
{
	if (name in kind)
		return kind[name]
	m = macro[name]
	if (m == "MODULE-IDENTITY")
		m = "module"
	else if (m == "NOTIFICATION-TYPE")
		m = "notification"
	else if (m == "OBJECT-GROUP" || m == "NOTIFICATION-GROUP")
		m = "group"
	else if (m == "MODULE-COMPLIANCE")
		m = "compliance"
	else if (m != "OBJECT-TYPE")
		m = "node"
	else if (syntax[name] ~ /^SEQUENCE OF /)
		m = "table"
	else if ((parent[name] in macro) && kind_of(parent[name]) == "table")
		m = "entry"
	else if ((parent[name] in macro) && kind_of(parent[name]) == "entry")
		m = "column"
	else
		m = "scalar"
	kind[name] = m
	return m
}

# Follows TCs down to the SMI base type; sets rbase, rcons, rvals.
function resolve(name,    s)
{
	s = syntax[name]
	rcons = name in cons ? cons[name] : "-"
	rvals = name in vals ? vals[name] : "-"
	while (s in is_tc) {
		if (rcons == "-" && (s in cons))
			rcons = cons[s]
		if (rvals == "-" && (s in vals))
			rvals = vals[s]
		s = syntax[s]
	}
	if (s in imported_type) {
		if (rcons == "-")
			rcons = tcons[s]
		if (rvals == "-")
			rvals = tvals[s]
		s = tbase[s]
	}
	if (s == "Integer32")
		s = "INTEGER"
	rbase = s
}

function served(name)
{
	return access[name] == "read-only" || access[name] == "read-write" ||
	    access[name] == "read-create"
}

function analyse(    i, n, p)
{
	for (i = 1; i <= nnodes; i++)
		oid_of(order[i])
	for (i = 1; i <= nnodes; i++) {
		n = order[i]
		if (kind_of(n) == "module")
			the_module = n
	}
	if (the_module == "")
		die("no MODULE-IDENTITY")
	# The lowest and highest sub-identifier an agent serves (or, for
	# notifications, sends) under each parent.
	for (i = 1; i <= nnodes; i++) {
		n = order[i]
		p = parent[n]
		if (!(served(n) || kind[n] == "notification"))
			continue
		if (sub_[n] !~ /^[0-9]+$/)
			continue
		if (!(p in lo) || sub_[n] + 0 < lo[p])
			lo[p] = sub_[n] + 0
		if (!(p in hi) || sub_[n] + 0 > hi[p])
			hi[p] = sub_[n] + 0
	}
}

# ---- mode=list ---------------------------------------------------------
# (Reading an awk array element creates it: test values, not membership.)
function dash(s)
{
	return s == "" ? "-" : s
}

function list_line(name, k, o, p, s)
{
	resolve(name)
	printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", name, k, o, p, s,
	    dash(access[name]), dash(syntax[name]), dash(rbase), rcons, rvals
}

function list(    i, n, nobj, o, s, j)
{
	for (i = 1; i <= nnodes; i++) {
		n = order[i]
		if (kind[n] == "notification") {
			nobj = split(objects[n], o, " ")
			s = ""
			for (j = 1; j <= nobj; j++)
				s = s (j > 1 ? "," : "") j "=" o[j]
			vals[n] = s == "" ? "-" : s
		}
		list_line(n, kind[n], oid[n], parent[n], sub_[n])
	}
	for (i = 1; i <= ntcs; i++)
		list_line(tcs[i], "tc", "-", "-", "-")
}

# ---- mode=header -------------------------------------------------------
function cname(s)
{
	gsub(/-/, "_", s)
	return s
}

function commas(dotted)
{
	gsub(/\./, ", ", dotted)
	return dotted
}

# One line of the header's opening comment.
function cline(s)
{
	print (s == "" ? " *" : " * " s)
}

function header_intro()
{
	print "/*"
	cline("cam_mib.h: " module " as C constants.  GENERATED at build")
	cline("time by scripts/mibgen.awk from mibs/" module ".txt:")
	cline("do not edit, do not commit; change the MIB and rebuild.")
	cline("")
	cline("Names are the MIB's descriptors after a prefix saying what the")
	cline("number is (a '-' in a descriptor becomes '_'):")
	cline("  CAM_MIB_ARC, CAM_MIB_ARC_LEN  the module's OID")
	cline("      (" the_module ") as sub-identifiers for an oid[]")
	cline("      initialiser")
	cline("  CAM_OID_<node>  the same for every node: {CAM_OID_camSummary}")
	cline("  CAM_SCALAR_<object>  a scalar's sub-identifier under its")
	cline("      group (its instance adds .0)")
	cline("  CAM_COL_<column>  a column's number in its table's entry")
	cline("  CAM_NOTIF_<notification>  a notification's sub-identifier")
	cline("  CAM_FIRST_<parent>, CAM_LAST_<parent>  the lowest and highest")
	cline("      sub-identifier under <parent> of what an agent serves")
	cline("      (readable objects) or sends (notifications)")
	cline("  CAM_<type>_<label>  a value of an enumeration: of each")
	cline("      TEXTUAL-CONVENTION of the module, of each imported")
	cline("      type it uses, of an object's own INTEGER { }:")
	cline("      CAM_CamVerdict_restricted")
	cline("  CAM_<type>_MIN, CAM_<type>_MAX  its lowest and highest value")
	cline("  cam_<type>_names[]  its labels indexed by value, NULL for a")
	cline("      number it does not use; CAM_<type>_MAX + 1 entries")
	cline("  CAM_ENUM_NAME(type, v)  the label of v, \"?\" for none")
	cline("  CAM_BIT_<object>_<label>, CAM_BITS_<object>  a BITS object's")
	cline("      bit numbers, and how many bits it names")
	cline("  CAM_OBJECTS_<notification>(X)  X(parent, object) for each of")
	cline("      its OBJECTS, in order: the varbinds it carries")
	print " */"
	print "#ifndef CAM_MIB_H"
	print "#define CAM_MIB_H"
	print ""
	print "#include <stddef.h>"
	print ""
	printf "#define CAM_MIB_ARC %s\n", commas(oid[the_module])
	printf "#define CAM_MIB_ARC_LEN %d\n", split(oid[the_module], junk, ".")
}

function header_nodes(    i, n, k, p, nobj, o, j)
{
	print ""
	print "/* Nodes, in the order of the MIB. */"
	for (i = 1; i <= nnodes; i++) {
		n = order[i]
		k = kind[n]
		printf "#define CAM_OID_%s %s\n", cname(n), commas(oid[n])
		if (k == "scalar" && access[n] != "not-accessible")
			printf "#define CAM_SCALAR_%s %s\n", cname(n), sub_[n]
		else if (k == "column")
			printf "#define CAM_COL_%s %s\n", cname(n), sub_[n]
		else if (k == "notification")
			printf "#define CAM_NOTIF_%s %s\n", cname(n), sub_[n]
		if (n in lo) {
			printf "#define CAM_FIRST_%s %d\n", cname(n), lo[n]
			printf "#define CAM_LAST_%s %d\n", cname(n), hi[n]
		}
		if (syntax[n] == "BITS")
			header_bits(n)
		if (k == "notification") {
			nobj = split(objects[n], o, " ")
			printf "#define CAM_OBJECTS_%s(X)", cname(n)
			for (j = 1; j <= nobj; j++) {
				if (!(o[j] in parent))
					die(n " sends " o[j] ", which " module \
					    " does not define")
				printf " \\\n\tX(%s, %s)", cname(parent[o[j]]),
				    cname(o[j])
			}
			printf "\n"
		}
	}
}

function header_bits(n,    nv, v, j, kv)
{
	nv = split(vals[n], v, ",")
	for (j = 1; j <= nv; j++) {
		split(v[j], kv, "=")
		printf "#define CAM_BIT_%s_%s %s\n", cname(n), cname(kv[2]),
		    kv[1]
	}
	printf "#define CAM_BITS_%s %d\n", cname(n), nv
}

# An enumeration: #defines and a name table indexed by value.
function header_enum(t, values,    nv, v, j, kv, min, max, name)
{
	nv = split(values, v, ",")
	for (j = 1; j <= nv; j++) {
		split(v[j], kv, "=")
		if (kv[1] + 0 < 0)
			die(t " has a negative value: no name table for it")
		if (j == 1 || kv[1] + 0 < min)
			min = kv[1] + 0
		if (j == 1 || kv[1] + 0 > max)
			max = kv[1] + 0
		name[kv[1] + 0] = kv[2]
		printf "#define CAM_%s_%s %s\n", cname(t), cname(kv[2]), kv[1]
	}
	if (max > 1024)
		die(t " numbers a label " max ": too sparse for a name table")
	printf "#define CAM_%s_MIN %d\n", cname(t), min
	printf "#define CAM_%s_MAX %d\n", cname(t), max
	printf "static const char *const cam_%s_names[%d] = {", cname(t),
	    max + 1
	for (j = 0; j <= max; j++)
		printf "%s%s", j ? ", " : "",
		    (j in name) ? "\"" name[j] "\"" : "NULL"
	printf "};\n"
}

function header_enums(    i, n, t, done)
{
	print ""
	print "/* Enumerations. */"
	for (i = 1; i <= ntcs; i++) {
		t = tcs[i]
		resolve(t)
		if (rbase == "INTEGER" && rvals != "-") {
			header_enum(t, rvals)
			done[t] = 1
		}
	}
	for (i = 1; i <= nnodes; i++) {
		n = order[i]
		t = syntax[n]
		if ((t in imported_type) && tvals[t] != "-" && !(t in done)) {
			header_enum(t, tvals[t])
			done[t] = 1
		}
		if (t == "INTEGER" && (n in vals))
			header_enum(n, vals[n])
	}
	print ""
	print "/* The label of value v of enumeration type, \"?\" for none. */"
	print "#define CAM_ENUM_NAME(type, v) \\"
	print "\t((v) >= 0 && (v) <= CAM_##type##_MAX && \\"
	print "\t\t    cam_##type##_names[(v)] != NULL \\"
	print "\t    ? cam_##type##_names[(v)] \\"
	print "\t    : \"?\")"
}

function header(    i)
{
	header_intro()
	header_nodes()
	header_enums()
	print ""
	print "#endif"
}

END {
	if (failed)
		exit 1
	if (instring)
		die("a string is not closed at end of file")
	known_imports()
	parse()
	analyse()
	if (mode == "list")
		list()
	else if (mode == "header")
		header()
	else
		die("mode must be header or list (awk -v mode=...)")
}
