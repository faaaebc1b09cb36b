/* rapport-server-admin.h: the administration commands of rapport-server */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `rapport-server init|user|new-epoch ...`; @argv[0] is the command.
 * Returns the exit status. */
int   rapport_server_admin_run     (int          argc,
                                    char       **argv);

/* Reads a password from @file (its first line), from standard input (its
 * first line), or else from a prompt on the terminal without echo, asked
 * twice when @confirm. */
char *rapport_server_read_password (const char  *file,
                                    gboolean     from_stdin,
                                    gboolean     confirm,
                                    GError     **error);

G_END_DECLS
