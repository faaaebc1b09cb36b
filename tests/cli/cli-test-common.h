/* cli-test-common.h: running the built rapport-cli against a temporary store */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* RAPPORT_NOW of every run: 2026-03-02T09:00:00Z, a Monday. */
#define CLI_TEST_NOW "2026-03-02T09:00:00Z"

typedef struct
{
  char *dir;       /* a fresh temporary folder, removed at the end */
  char *db;        /* dir/rapport.db, given with --db */
  char **env;      /* the environment of the child */
} CliFixture;

typedef struct
{
  int status;      /* exit status */
  char *out;
  char *err;
} CliResult;

CliFixture *cli_fixture_new      (void);
void        cli_fixture_free     (CliFixture *f);
void        cli_fixture_setenv   (CliFixture *f,
                                  const char *name,
                                  const char *value);

/* Runs rapport-cli --db f->db ARGS... (NULL-terminated). */
CliResult  *cli_run              (CliFixture *f,
                                  ...) G_GNUC_NULL_TERMINATED;
CliResult  *cli_run_argv         (CliFixture *f,
                                  gboolean    with_db,
                                  const char *const *args);
void        cli_result_free      (CliResult  *r);

/* Runs and asserts exit 0; returns stdout without the final newline. */
char       *cli_ok               (CliFixture *f,
                                  ...) G_GNUC_NULL_TERMINATED;
/* Runs with --json appended, asserts exit 0, and parses stdout. */
JsonNode   *cli_json             (CliFixture *f,
                                  ...) G_GNUC_NULL_TERMINATED;
/* Asserts a failure: exit @status, nothing on stdout, one line on stderr
 * that contains @needle. */
void        cli_assert_fails     (CliResult  *r,
                                  int         status,
                                  const char *needle);

JsonObject *cli_array_find       (JsonArray  *array,
                                  const char *member,
                                  const char *value);
char       *cli_read_file        (const char *path,
                                  gsize      *length);
void        cli_exec_sql         (const char *path,
                                  const char *sql);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliFixture, cli_fixture_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliResult, cli_result_free)

G_END_DECLS
