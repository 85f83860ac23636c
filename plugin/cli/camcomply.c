/*
 * camcomply.c: main() of camcomply(1), the operator's command-line tool.
 * It only dispatches to the sub-commands (cli.h); main thread only.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: camcomply scan [--json] [--user NAME --password-file FILE]\n"
	    "                      [--timeout SECONDS] [--concurrency N] TARGET...\n"
	    "       camcomply classify [--policy FILE] [--zone ZONE] --manufacturer M\n"
	    "                      --model X [--firmware F] [--serial S] [--mac MAC]...\n"
	    "                      [--scope URI]... [--json]\n"
	    "       camcomply policy check [FILE]\n"
	    "       camcomply discover [--interface IFACE|all]... [--sweep CIDR]...\n"
	    "                      [--wait SECONDS] [--json]\n"
	    "       camcomply report [--format html|csv|json] [--output FILE]\n"
	    "                      [SNMP options] SOURCE\n"
	    "       camcomply --version\n");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "scan") == 0)
		return cli_scan(argc - 1, argv + 1);
	if (strcmp(argv[1], "classify") == 0)
		return cli_classify(argc - 1, argv + 1);
	if (strcmp(argv[1], "policy") == 0)
		return cli_policy(argc - 1, argv + 1);
	if (strcmp(argv[1], "discover") == 0)
		return cli_discover(argc - 1, argv + 1);
	if (strcmp(argv[1], "report") == 0)
		return cli_report(argc - 1, argv + 1);
	if (strcmp(argv[1], "--version") == 0) {
		printf("%s\n", PACKAGE_STRING);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "camcomply: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
