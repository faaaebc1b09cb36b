/* rapport-cli-generate.c: filling a store with a reference data set */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <unistd.h>
#include <glib/gi18n.h>

#include "rapport-cli-private.h"
#include "rapport-contact-list.h"
#include "rapport-generate.h"

typedef struct
{
  const char *preset;
  int last_percent;
} Progress;

static void
progress_cb (double fraction, gpointer user_data)
{
  Progress *progress = user_data;
  int percent = (int) (CLAMP (fraction, 0.0, 1.0) * 100.0);

  if (percent == progress->last_percent)
    return;
  progress->last_percent = percent;
  g_printerr ("\r");
  g_printerr (_("Generating %s: %d%%"), progress->preset, percent);
}

/* generate --preset team-10k|team-100k [--seed N] */
int
rapport_cli_generate (RapportCli *cli, char **argv)
{
  g_autofree char *preset_name = NULL, *seed_text = NULL;
  const GOptionEntry entries[] = {
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset_name, N_("team-10k or team-100k"), N_("PRESET") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text, N_("The same seed gives the same data (default 1)"), N_("N") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (RapportContactList) existing = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  const RapportPreset *preset;
  Progress progress = { 0 };
  guint64 seed = 1;
  gboolean tty = isatty (STDERR_FILENO);
  gboolean ok;
  int status;

  status = rapport_cli_parse (cli, argv, entries, NULL,
                              N_("Fill an empty store with the reference data set of the "
                                 "benchmarks: users, contacts, five years of interactions, notes, "
                                 "reminders, promises and complaints."),
                              RAPPORT_CLI_PARSE_DEFAULT, 0, 0, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if (preset_name == NULL)
    return rapport_cli_usage_error (cli, _("--preset is needed: team-10k or team-100k"));
  preset = rapport_preset_lookup (preset_name);
  if (preset == NULL)
    return rapport_cli_usage_error (cli, _("--preset: “%s” is not one of team-10k, team-100k"),
                                    preset_name);
  if (seed_text != NULL && !g_ascii_string_to_unsigned (seed_text, 10, 0, G_MAXUINT64, &seed, NULL))
    return rapport_cli_usage_error (cli, _("--seed: “%s” is not a whole number"), seed_text);
  if (rapport_cli_get_store (cli, &error) == NULL)
    return rapport_cli_fail (cli, error);

  existing = rapport_contact_list_new (cli->store);
  if (g_list_model_get_n_items (G_LIST_MODEL (existing)) > 0)
    {
      g_printerr (_("%s: %s already holds contacts; generate into a new file with --db PATH\n"),
                  cli->command, rapport_store_get_path (cli->store));
      return RAPPORT_CLI_EXIT_FAILURE;
    }

  progress.preset = preset_name;
  progress.last_percent = -1;
  ok = rapport_store_generate (cli->store, preset, seed, rapport_cli_now (cli),
                               tty ? progress_cb : NULL, &progress, &error);
  if (tty)
    g_printerr ("\n");
  if (!ok)
    return rapport_cli_fail (cli, error);
  g_free (seed_text);
  seed_text = g_strdup_printf ("%" G_GUINT64_FORMAT, seed);
  g_print (_("Generated %s (seed %s): %u users, %u contacts, %u interactions, %u notes, "
             "%u open reminders, %u promises, %u complaints\n"),
           preset_name, seed_text, preset->users, preset->contacts, preset->interactions,
           preset->notes, preset->open_reminders, preset->promises, preset->complaints);
  return RAPPORT_CLI_EXIT_OK;
}
