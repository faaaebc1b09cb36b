/* rapport-cli.h: rapport-cli, the scriptable companion of Rapport */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs rapport-cli with the command line @argv and returns the exit status:
 * 0 done, 1 failed, 2 the command line was wrong. */
int rapport_cli_run (int    argc,
                     char **argv);

G_END_DECLS
