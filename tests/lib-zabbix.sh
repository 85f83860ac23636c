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
