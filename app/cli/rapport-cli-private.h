/* rapport-cli-private.h: what the verbs of rapport-cli share */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "rapport-cli.h"
#include "rapport-store.h"

G_BEGIN_DECLS

/* Exit statuses. */
#define RAPPORT_CLI_EXIT_OK      0
#define RAPPORT_CLI_EXIT_FAILURE 1
#define RAPPORT_CLI_EXIT_USAGE   2
/* Returned by rapport_cli_parse() when the verb should go on. */
#define RAPPORT_CLI_CONTINUE     (-1)

#define RAPPORT_CLI_ERROR (rapport_cli_error_quark ())

typedef enum
{
  RAPPORT_CLI_ERROR_USAGE,     /* the command line is wrong: exit 2 */
} RapportCliError;

GQuark rapport_cli_error_quark (void);

typedef struct
{
  char *db_path;             /* --db, or NULL for rapport_store_default_path() */
  char *command;             /* "rapport-cli contact add", for messages and help */
  gboolean json;             /* --json given */
  RapportStore *store;       /* opened on first use */
  GHashTable *user_labels;   /* user id -> name to show */
} RapportCli;

/* A verb gets its own words: argv[0] is the verb, NULL-terminated. It
 * returns an exit status. */
typedef int (*RapportCliVerbFunc) (RapportCli  *cli,
                                   char       **argv);

typedef struct
{
  const char *name;
  const char *summary;       /* N_() */
  RapportCliVerbFunc run;
} RapportCliVerb;

typedef enum
{
  RAPPORT_CLI_PARSE_DEFAULT = 0,
  RAPPORT_CLI_PARSE_JSON = 1 << 0,   /* the verb takes --json */
} RapportCliParseFlags;

/* rapport-cli.c */
int            rapport_cli_dispatch      (RapportCli            *cli,
                                          const RapportCliVerb  *verbs,
                                          guint                  n_verbs,
                                          char                 **argv);
int            rapport_cli_dispatch_or   (RapportCli            *cli,
                                          const RapportCliVerb  *verbs,
                                          guint                  n_verbs,
                                          char                 **argv,
                                          RapportCliVerbFunc     fallback);

/* rapport-cli-common.c: options, errors, the store, "me", look-ups */
int            rapport_cli_parse         (RapportCli            *cli,
                                          char                 **argv,
                                          const GOptionEntry    *entries,
                                          const char            *parameters,
                                          const char            *summary,
                                          RapportCliParseFlags   flags,
                                          int                    min_args,
                                          int                    max_args,
                                          GStrv                 *out_args);
int            rapport_cli_fail          (RapportCli            *cli,
                                          const GError          *error);
int            rapport_cli_usage_error   (RapportCli            *cli,
                                          const char            *format,
                                          ...) G_GNUC_PRINTF (2, 3);
void           rapport_cli_push_command  (RapportCli            *cli,
                                          const char            *word);
RapportStore  *rapport_cli_get_store     (RapportCli            *cli,
                                          GError               **error);
gint64         rapport_cli_now           (RapportCli            *cli);
RapportUser   *rapport_cli_ensure_me     (RapportCli            *cli,
                                          GError               **error);
RapportContact *rapport_cli_find_contact (RapportCli            *cli,
                                          const char            *query,
                                          gboolean               in_trash_ok,
                                          GError               **error);
RapportUser   *rapport_cli_find_user     (RapportCli            *cli,
                                          const char            *option,
                                          const char            *id_or_name,
                                          GError               **error);
RapportRecord *rapport_cli_load          (RapportCli            *cli,
                                          const char            *entity,
                                          const char            *id,
                                          GError               **error);
gboolean       rapport_cli_parse_time    (RapportCli            *cli,
                                          const char            *option,
                                          const char            *text,
                                          gint64                *out,
                                          GError               **error);
gboolean       rapport_cli_parse_enum    (const char            *option,
                                          const char            *text,
                                          const char *const     *allowed,
                                          char                 **out,
                                          GError               **error);
gboolean       rapport_cli_parse_count   (const char            *option,
                                          const char            *text,
                                          guint                 *out,
                                          GError               **error);
const char    *rapport_cli_user_label    (RapportCli            *cli,
                                          const char            *user_id);
char          *rapport_cli_nonempty      (const char            *text);

/* rapport-cli-output.c: tables, fields and --json */
typedef struct _RapportCliTable RapportCliTable;

RapportCliTable *rapport_cli_table_new   (guint                  n_columns,
                                          ...);
void           rapport_cli_table_add     (RapportCliTable       *table,
                                          ...);
void           rapport_cli_table_print   (RapportCliTable       *table);
void           rapport_cli_table_free    (RapportCliTable       *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportCliTable, rapport_cli_table_free)

char          *rapport_cli_format_time   (gint64                 t);
char          *rapport_cli_format_age    (gint64                 seconds);
char          *rapport_cli_shorten       (const char            *text,
                                          guint                  max_chars);
void           rapport_cli_print_field   (const char            *label,
                                          const char            *value);
void           rapport_cli_json_set_time (JsonObject            *object,
                                          const char            *member,
                                          gint64                 t);
JsonObject    *rapport_cli_record_json   (RapportRecord         *record);
JsonArray     *rapport_cli_records_json  (GPtrArray             *records);
void           rapport_cli_print_json    (JsonNode              *node);
void           rapport_cli_print_json_object (JsonObject        *object);
void           rapport_cli_print_json_array  (JsonArray         *array);

/* rapport-cli-contact-fields.c: the options for every contact field */
typedef struct
{
  char *name, *given_name, *family_name, *kind, *organization, *org_id, *title;
  char *relationship, *stage, *owner, *birthday, *source, *channel;
  char *marketing_consent, *cadence;
  char **tags, **emails, **phones, **addresses, **social;
  char **untags, **remove_emails, **remove_phones, **remove_addresses, **remove_social;
  gboolean do_not_contact, contact_ok;
} RapportCliContactOptions;

GOptionEntry  *rapport_cli_contact_option_entries (RapportCliContactOptions *o,
                                                   gboolean                  edit);
gboolean       rapport_cli_contact_options_empty  (RapportCliContactOptions *o);
void           rapport_cli_contact_options_clear  (RapportCliContactOptions *o);
gboolean       rapport_cli_contact_apply          (RapportCli               *cli,
                                                   RapportCliContactOptions *o,
                                                   RapportContact           *contact,
                                                   GError                  **error);

/* The verbs. Each lives in the file named after its concern; a new verb is
 * declared here and gets one line in the table of rapport-cli.c. */
int rapport_cli_contact   (RapportCli *cli, char **argv);  /* rapport-cli-contacts.c */
int rapport_cli_search    (RapportCli *cli, char **argv);  /* rapport-cli-contacts.c */
int rapport_cli_trash     (RapportCli *cli, char **argv);  /* rapport-cli-contacts.c */
int rapport_cli_log       (RapportCli *cli, char **argv);  /* rapport-cli-log.c */
int rapport_cli_note      (RapportCli *cli, char **argv);  /* rapport-cli-log.c */
int rapport_cli_complaint (RapportCli *cli, char **argv);  /* rapport-cli-log.c */
int rapport_cli_timeline  (RapportCli *cli, char **argv);  /* rapport-cli-log.c */
int rapport_cli_remind    (RapportCli *cli, char **argv);  /* rapport-cli-followup.c */
int rapport_cli_reminder  (RapportCli *cli, char **argv);  /* rapport-cli-followup.c */
int rapport_cli_promise   (RapportCli *cli, char **argv);  /* rapport-cli-followup.c */
int rapport_cli_due       (RapportCli *cli, char **argv);  /* rapport-cli-due.c */
int rapport_cli_backlog   (RapportCli *cli, char **argv);  /* rapport-cli-due.c */
int rapport_cli_user      (RapportCli *cli, char **argv);  /* rapport-cli-users.c */
int rapport_cli_whoami    (RapportCli *cli, char **argv);  /* rapport-cli-users.c */
int rapport_cli_generate  (RapportCli *cli, char **argv);  /* rapport-cli-generate.c */
int rapport_cli_import    (RapportCli *cli, char **argv);  /* rapport-cli-transfer.c */
int rapport_cli_export    (RapportCli *cli, char **argv);  /* rapport-cli-transfer.c */
int rapport_cli_erase     (RapportCli *cli, char **argv);  /* rapport-cli-transfer.c */
int rapport_cli_backup    (RapportCli *cli, char **argv);  /* rapport-cli-transfer.c */
int rapport_cli_restore   (RapportCli *cli, char **argv);  /* rapport-cli-transfer.c */
int rapport_cli_sync      (RapportCli *cli, char **argv);  /* rapport-cli-sync.c */

G_END_DECLS
