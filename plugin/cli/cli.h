/*
 * cli.h: the sub-commands of camcomply(1).  Each takes the arguments after
 * its own name (argv[0] is the sub-command) and returns the process exit
 * status.  Main thread only.
 */
#ifndef CAMCOMPLY_CLI_H
#define CAMCOMPLY_CLI_H

int cli_scan(int argc, char **argv); /* scan.c */
int cli_classify(int argc, char **argv); /* cli_policy.c */
int cli_policy(int argc, char **argv); /* cli_policy.c: "policy check" */
int cli_discover(int argc, char **argv); /* cli_discover.c */
int cli_report(int argc, char **argv); /* report.c */
/* $CAMCOMPLY_POLICY, else the installed policy.xml. */
const char *cli_default_policy(void); /* cli_policy.c */

#endif
