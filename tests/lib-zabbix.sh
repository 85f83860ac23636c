# tests/lib-zabbix.sh: what the Zabbix tests (nms-zabbix.sh,
# nms-zabbix-proxy.sh) share.  Sourced after lib.sh.

# zbx_frontend NAME: Zabbix's PHP frontend (its API) in $Z/web, on the
# server's database ($Z/pgsock, $PGPORT) and trapper port ($ZBXPORT).
# Debian hard-codes /etc/zabbix/zabbix.conf.php, so the frontend is a
# hard-linked copy with that one file replaced.
zbx_frontend() {
	local f=include/classes/core/CConfigFile.php
	cp -al /usr/share/zabbix "$Z/web" 2>/dev/null || cp -a /usr/share/zabbix "$Z/web"
	rm "$Z/web/$f"
	sed "s|'/etc/zabbix/zabbix.conf.php'|'$Z/zabbix.conf.php'|" /usr/share/zabbix/$f >"$Z/web/$f"
	grep -q "$Z/zabbix.conf.php" "$Z/web/$f" || return 1
	cat >"$Z/zabbix.conf.php" <<EOC
<?php
\$DB['TYPE']='POSTGRESQL'; \$DB['SERVER']='$Z/pgsock'; \$DB['PORT']='$PGPORT';
\$DB['DATABASE']='zabbix'; \$DB['USER']='zabbix'; \$DB['PASSWORD']=''; \$DB['SCHEMA']='';
\$DB['ENCRYPTION']=false; \$DB['KEY_FILE']=''; \$DB['CERT_FILE']=''; \$DB['CA_FILE']='';
\$DB['VERIFY_HOST']=false; \$DB['CIPHER_LIST']=''; \$DB['VAULT_URL']=''; \$DB['VAULT_DB_PATH']='';
\$DB['VAULT_TOKEN']=''; \$DB['DOUBLE_IEEE754']=true;
\$ZBX_SERVER='127.0.0.1'; \$ZBX_SERVER_PORT='$ZBXPORT'; \$ZBX_SERVER_NAME='$1';
\$IMAGE_FORMAT_DEFAULT=IMAGE_FORMAT_PNG;
EOC
}

# zbx_database [RUN...]: PostgreSQL in $Z/pg on its unix socket $Z/pgsock
# (port $PGPORT, no TCP), owned by the postgres user, with Zabbix's schema
# loaded from $ZSQL; RUN (e.g. ip netns exec NS) starts it in a namespace.
# Sets PSQL.  Returns 1 (having said why) on a failure.
zbx_database() {
	local t f
	runuser -u postgres -- $PGBIN/initdb -D "$Z/pg" -U zabbix --auth=trust -E UTF8 \
		--locale=C.UTF-8 --no-sync >"$Z/log/initdb.log" 2>&1 ||
		{ cat "$Z/log/initdb.log"; fail "initdb"; return 1; }
	"$@" runuser -u postgres -- $PGBIN/pg_ctl -D "$Z/pg" -l "$Z/log/pg.log" -w -o \
		"-k $Z/pgsock -c listen_addresses= -p $PGPORT -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		start >/dev/null || { cat "$Z/log/pg.log"; fail "postgres"; return 1; }
	PSQL="$PGBIN/psql -q -X -v ON_ERROR_STOP=1 -h $Z/pgsock -p $PGPORT -U zabbix"
	t=$(date +%s%N)
	$PGBIN/createdb -h "$Z/pgsock" -p $PGPORT -U zabbix -E Unicode -T template0 zabbix
	for f in schema images data; do
		zcat $ZSQL/$f.sql.gz | $PSQL zabbix >/dev/null || { fail "loading $f.sql"; return 1; }
	done
	# Fresh statistics, or every API write takes seconds.
	$PGBIN/vacuumdb -q -z -h "$Z/pgsock" -p $PGPORT -U zabbix zabbix
	echo "# Zabbix schema loaded in $(ms_since "$t") ms"
}
