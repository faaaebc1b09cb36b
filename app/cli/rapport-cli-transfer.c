/* rapport-cli-transfer.c: the import, export and erase verbs */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "rapport-backup.h"
#include "rapport-cli-private.h"
#include "rapport-erase.h"
#include "rapport-export.h"
#include "rapport-import.h"

typedef struct
{
  int last_percent;
} Progress;

static void print_line (const char *format, ...) G_GNUC_PRINTF (1, 2);

static void
print_line (const char *format, ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_print ("%s\n", text);
}

static void
progress_cb (double fraction, gpointer user_data)
{
  Progress *progress = user_data;
  int percent = (int) (CLAMP (fraction, 0.0, 1.0) * 100.0);

  if (percent == progress->last_percent)
    return;
  progress->last_percent = percent;
  g_printerr ("\r");
  g_printerr (_("Importing: %d%%"), percent);
}

static void
print_summary (const char *path, RapportImportSummary *summary)
{
  print_line (_("Imported %s (%s, %s)"), path,
                          g_str_equal (summary->format, "vcard") ? "vCard" : "CSV", summary->encoding);
  print_line (ngettext ("  %'u record read", "  %'u records read", summary->records),
                          summary->records);
  print_line (ngettext ("  %'u new contact", "  %'u new contacts", summary->created),
                          summary->created);
  print_line (ngettext ("  %'u merged into a contact already there",
                                    "  %'u merged into contacts already there", summary->merged),
                          summary->merged);
  if (summary->notes > 0)
    print_line (ngettext ("  %'u note added", "  %'u notes added", summary->notes),
                            summary->notes);
  print_line (ngettext ("  %'u skipped", "  %'u skipped", summary->skipped), summary->skipped);
  for (guint i = 0; i < summary->issues->len; i++)
    {
      RapportImportIssue *issue = summary->issues->pdata[i];
      if (issue->line > 0)
        print_line (_("    line %u: %s"), issue->line, issue->reason);
      else
        print_line ("    %s", issue->reason);
    }
}

/* import FILE [--format vcard|csv] [--mapping google|outlook|FILE] [--region GB] [--json] */
int
rapport_cli_import (RapportCli *cli, char **argv)
{
  static const char *const formats[] = { "vcard", "csv", NULL };
  g_autofree char *format = NULL, *mapping = NULL, *region = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("vcard or csv (default: from the file)"), N_("FORMAT") },
    { "mapping", 0, 0, G_OPTION_ARG_STRING, &mapping,
      N_("CSV columns: google, outlook, or a mapping file of “column=field” lines (default: from the header)"),
      N_("MAPPING") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("Two-letter region to read national phone numbers in (default: from the locale)"), N_("REGION") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (RapportImportOptions) options = rapport_import_options_new ();
  g_autoptr (RapportImportSummary) summary = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  g_autofree char *checked = NULL;
  Progress progress = { -1 };
  gboolean tty = isatty (STDERR_FILENO);
  int status;

  status = rapport_cli_parse (cli, argv, entries, N_("FILE"),
                              N_("Import contacts from a vCard (.vcf) or CSV file, in one go: a "
                                 "contact already in the store (same email, phone number, or name "
                                 "and organization) is completed rather than added again. "
                                 "Malformed records are skipped and listed with their line."),
                              RAPPORT_CLI_PARSE_JSON, 1, 1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if (format != NULL)
    {
      if (!rapport_cli_parse_enum ("--format", format, formats, &checked, &error))
        return rapport_cli_fail (cli, error);
      options->format = g_str_equal (checked, "vcard") ? RAPPORT_IMPORT_FORMAT_VCARD : RAPPORT_IMPORT_FORMAT_CSV;
    }
  if (region != NULL && (strlen (region) != 2 || !g_ascii_isalpha (region[0]) || !g_ascii_isalpha (region[1])))
    return rapport_cli_usage_error (cli, _("--region: “%s” is not a two-letter region such as GB or US"),
                                    region);
  options->mapping = g_steal_pointer (&mapping);
  options->region = g_steal_pointer (&region);
  if (rapport_cli_get_store (cli, &error) == NULL)
    return rapport_cli_fail (cli, error);

  file = g_file_new_for_commandline_arg (args[0]);
  summary = rapport_import_file (cli->store, file, options, NULL, tty && !cli->json ? progress_cb : NULL,
                                 &progress, &error);
  if (tty && progress.last_percent >= 0)
    g_printerr ("\n");
  if (summary == NULL)
    return rapport_cli_fail (cli, error);
  if (cli->json)
    {
      g_autoptr (JsonNode) node = rapport_import_summary_to_json (summary);
      rapport_cli_print_json (node);
    }
  else
    print_summary (args[0], summary);
  return RAPPORT_CLI_EXIT_OK;
}

static gboolean
write_out (RapportCli *cli, const char *output, GBytes *bytes, GError **error)
{
  g_autoptr (GFile) file = NULL;

  if (output == NULL)
    {
      gsize size = g_bytes_get_size (bytes);
      if (fwrite (g_bytes_get_data (bytes, NULL), 1, size, stdout) != size || fflush (stdout) != 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write to the standard output"));
          return FALSE;
        }
      return TRUE;
    }
  file = g_file_new_for_commandline_arg (output);
  return g_file_replace_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL,
                                  FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}

/* export --format vcard|csv|json [--contact CONTACT]... [--output FILE] */
int
rapport_cli_export (RapportCli *cli, char **argv)
{
  static const char *const formats[] = { "vcard", "csv", "json", NULL };
  g_autofree char *format = NULL, *output = NULL, *checked = NULL;
  g_auto (GStrv) contacts = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("vcard (vCard 4.0), csv, or json (one contact's whole record)"), N_("FORMAT") },
    { "contact", 0, 0, G_OPTION_ARG_STRING_ARRAY, &contacts,
      N_("Only this contact (id, exact name or email); may be repeated"), N_("CONTACT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to this file instead of the output"),
      N_("FILE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  gint64 written = 1;
  int status;

  status = rapport_cli_parse (cli, argv, entries, NULL,
                              N_("Export contacts as vCard 4.0 or CSV (every contact not in the "
                                 "Trash, or those given with --contact), or everything held about "
                                 "one contact as JSON, for a data-access request."),
                              RAPPORT_CLI_PARSE_DEFAULT, 0, 0, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if (format == NULL)
    return rapport_cli_usage_error (cli, _("--format is needed: vcard, csv or json"));
  if (!rapport_cli_parse_enum ("--format", format, formats, &checked, &error))
    return rapport_cli_fail (cli, error);
  if (g_str_equal (checked, "json") && (contacts == NULL || g_strv_length (contacts) != 1))
    return rapport_cli_usage_error (cli, _("--format json exports one contact's whole record: give one --contact"));
  for (guint i = 0; contacts && contacts[i]; i++)
    {
      g_autoptr (RapportContact) contact = rapport_cli_find_contact (cli, contacts[i], TRUE, &error);
      if (contact == NULL)
        return rapport_cli_fail (cli, error);
      g_ptr_array_add (ids, g_strdup (RAPPORT_RECORD (contact)->id));
    }
  g_ptr_array_add (ids, NULL);
  if (rapport_cli_get_store (cli, &error) == NULL)
    return rapport_cli_fail (cli, error);

  if (g_str_equal (checked, "json"))
    {
      g_autoptr (JsonNode) record = rapport_export_contact_record (cli->store, ids->pdata[0], &error);
      g_autoptr (JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;

      if (record == NULL)
        return rapport_cli_fail (cli, error);
      json_generator_set_root (generator, record);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      bytes = g_bytes_new_take (g_strconcat (text, "\n", NULL), strlen (text) + 1);
    }
  else
    {
      written = rapport_export_contacts (cli->store,
                                         g_str_equal (checked, "csv") ? RAPPORT_EXPORT_CSV : RAPPORT_EXPORT_VCARD,
                                         contacts ? (const char *const *) ids->pdata : NULL, out, NULL,
                                         NULL, NULL, &error);
      if (written < 0 || !g_output_stream_close (out, NULL, &error))
        return rapport_cli_fail (cli, error);
      bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
    }
  if (!write_out (cli, output, bytes, &error))
    return rapport_cli_fail (cli, error);
  if (output != NULL)
    g_printerr (ngettext ("Exported %'u contact to %s\n", "Exported %'u contacts to %s\n", (gulong) written),
                (guint) written, output);
  return RAPPORT_CLI_EXIT_OK;
}

/* erase CONTACT --yes */
int
rapport_cli_erase (RapportCli *cli, char **argv)
{
  gboolean yes = FALSE;
  const GOptionEntry entries[] = {
    { "yes", 0, 0, G_OPTION_ARG_NONE, &yes, N_("Confirm: this cannot be undone"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (RapportContact) contact = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  gint64 erased;
  int status;

  status = rapport_cli_parse (cli, argv, entries, N_("CONTACT"),
                              N_("Erase a contact and everything about them (interactions, notes, "
                                 "reminders, promises, history), for an erasure request. The "
                                 "erasure reaches the server and every desktop at the next sync. "
                                 "It cannot be undone."),
                              RAPPORT_CLI_PARSE_DEFAULT, 1, 1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  contact = rapport_cli_find_contact (cli, args[0], TRUE, &error);
  if (contact == NULL)
    return rapport_cli_fail (cli, error);
  if (!yes)
    {
      g_printerr (_("%s: this erases “%s” and everything about them, here and on the server, for "
                    "good. Export it first if it is needed (rapport-cli export --format json "
                    "--contact %s), then run again with --yes\n"),
                  cli->command, contact->name ? contact->name : "", RAPPORT_RECORD (contact)->id);
      return RAPPORT_CLI_EXIT_USAGE;
    }
  erased = rapport_store_erase_contact (cli->store, RAPPORT_RECORD (contact)->id, &error);
  if (erased < 0)
    return rapport_cli_fail (cli, error);
  print_line (ngettext ("Erased “%s” and %u record about them.", "Erased “%s” and %u records about them.",
                        (gulong) (erased - 1)),
              contact->name ? contact->name : "", (guint) (erased - 1));
  print_line (_("The erasure reaches the server at the next sync."));
  return RAPPORT_CLI_EXIT_OK;
}

/* What backup and restore say in JSON: the file and what the store holds. */
static JsonObject *
store_counts_object (const char *file, gint64 contacts, gint64 interactions)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "file", file);
  json_object_set_int_member (object, "contacts", contacts);
  json_object_set_int_member (object, "interactions", interactions);
  return object;
}

/* backup FILE [--json] */
int
rapport_cli_backup (RapportCli *cli, char **argv)
{
  const GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
  RapportBackupInfo info = { 0 };
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  int status;

  status = rapport_cli_parse (cli, argv, entries, N_("FILE"),
                              N_("Write a copy of the store to FILE, a new file: one consistent "
                                 "snapshot, even while Rapport or a sync is writing. A backup is a "
                                 "store like any other: read it with --db FILE, or put it back with "
                                 "“restore FILE”."),
                              RAPPORT_CLI_PARSE_JSON, 1, 1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if (rapport_cli_get_store (cli, &error) == NULL
      || !rapport_store_backup (cli->store, args[0], &info, &error))
    return rapport_cli_fail (cli, error);
  if (cli->json)
    {
      JsonObject *object = store_counts_object (args[0], info.contacts, info.interactions);

      json_object_set_int_member (object, "bytes", info.bytes);
      rapport_cli_print_json_object (object);  /* takes it */
      return RAPPORT_CLI_EXIT_OK;
    }
  /* Translators: "Backed up 1200 contacts and 9000 interactions to b.db (12.5 MB)" */
  print_line (ngettext ("Backed up %'lld contact and %'lld interactions to %s (%.1f MB)",
                        "Backed up %'lld contacts and %'lld interactions to %s (%.1f MB)",
                        (gulong) info.contacts),
              (long long) info.contacts, (long long) info.interactions, args[0], info.bytes / 1e6);
  return RAPPORT_CLI_EXIT_OK;
}

/* restore FILE [--json] */
int
rapport_cli_restore (RapportCli *cli, char **argv)
{
  const GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
  g_auto (RapportRestoreInfo) info = { 0 };
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  int status;

  status = rapport_cli_parse (cli, argv, entries, N_("FILE"),
                              N_("Replace the store with the backup FILE (made by “backup”). The store "
                                 "as it was is kept beside it, as “… before restore DATE TIME.db”: "
                                 "restore that file to undo. Quit Rapport first; nothing is changed "
                                 "while a program has the store open. Changes synced since the backup "
                                 "come back with the next sync."),
                              RAPPORT_CLI_PARSE_JSON, 1, 1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  g_assert (cli->store == NULL);
  if (!rapport_store_restore_backup (cli->db_path, args[0], &info, &error))
    return rapport_cli_fail (cli, error);
  if (cli->json)
    {
      JsonObject *object = store_counts_object (args[0], info.contacts, info.interactions);

      if (info.kept != NULL)
        json_object_set_string_member (object, "kept", info.kept);
      else
        json_object_set_null_member (object, "kept");
      json_object_set_boolean_member (object, "synced", info.synced);
      rapport_cli_print_json_object (object);  /* takes it */
      return RAPPORT_CLI_EXIT_OK;
    }
  /* Translators: "Restored 1200 contacts and 9000 interactions from b.db" */
  print_line (ngettext ("Restored %'lld contact and %'lld interactions from %s",
                        "Restored %'lld contacts and %'lld interactions from %s", (gulong) info.contacts),
              (long long) info.contacts, (long long) info.interactions, args[0]);
  if (info.kept != NULL)
    print_line (_("The store as it was is kept in %s"), info.kept);
  if (info.synced)
    print_line (_("Changes synced since the backup come back with the next sync."));
  return RAPPORT_CLI_EXIT_OK;
}
