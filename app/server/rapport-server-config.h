/* rapport-server-config.h: settings from the config file and the command line */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RAPPORT_SERVER_DEFAULT_DATA_DIR "/var/lib/rapport-server"
#define RAPPORT_SERVER_CONFIG_GROUP "server"

typedef struct
{
  char *data_dir;
  char *listen;                    /* address to bind, default 127.0.0.1 */
  int port;                        /* 0 = pick a free one */
  char *tls_cert;                  /* PEM files; both set = HTTPS */
  char *tls_key;
  gint64 token_idle_seconds;       /* a token unused this long expires (14 days) */
  gint64 token_lifetime_seconds;   /* a token expires this long after login (90 days) */
  guint login_failures_per_minute; /* per client address, then 429 (10) */
} RapportServerConfig;

RapportServerConfig *rapport_server_config_new   (void);
void                 rapport_server_config_free  (RapportServerConfig *config);

/* Reads the keys of group [server] of @path over the defaults. */
gboolean             rapport_server_config_load  (RapportServerConfig *config,
                                                  const char          *path,
                                                  GError             **error);

/* Fills what is still unset: data dir from $RAPPORT_SERVER_DATA_DIR or the
 * default, and checks the values. */
gboolean             rapport_server_config_finish (RapportServerConfig *config,
                                                   GError             **error);

char                *rapport_server_config_db_path (RapportServerConfig *config);

/* The server's clock, seconds since the epoch. The test suites may set
 * RAPPORT_SERVER_NOW_FILE to a file holding epoch seconds, read at every
 * call, so they can move time forward without waiting. */
gint64               rapport_server_now          (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportServerConfig, rapport_server_config_free)

/* Adds --data-dir and --config to @context; after parsing, call
 * rapport_server_config_setup() to read the file and fill the defaults. */
void     rapport_server_config_add_options (RapportServerConfig *config,
                                            GOptionContext      *context,
                                            char               **config_file);
gboolean rapport_server_config_setup       (RapportServerConfig *config,
                                            const char          *config_file,
                                            GError             **error);

G_END_DECLS
