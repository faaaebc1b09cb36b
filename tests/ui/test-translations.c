/* test-translations.c: under LANGUAGE=de or fr the window speaks that language */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "rapport-first-run-dialog.h"
#include "rapport-import-dialog.h"
#include "rapport-window.h"
#include "test-common.h"
#include "ui-common.h"

static const char *language;

static void
collect_labels (GtkWidget *widget, GPtrArray *texts)
{
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (texts, (gpointer) gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_labels (c, texts);
}

static gboolean
shows_text (GtkWidget *root, const char *text)
{
  g_autoptr (GPtrArray) texts = g_ptr_array_new ();

  collect_labels (root, texts);
  for (guint i = 0; i < texts->len; i++)
    if (g_strcmp0 (texts->pdata[i], text) == 0)
      return TRUE;
  return FALSE;
}

static void
test_window_is_translated (void)
{
  static const char *const english[] = { "All Contacts", "Customers", "My Relationships", "Trash" };
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (GError) error = NULL;
  RapportWindow *window;

  rapport_save_identity (ts->store, "Ana Pereira", "Sales", &error);
  g_assert_no_error (error);
  window = rapport_window_new (NULL, ts->store);
  gtk_window_present (GTK_WINDOW (window));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (english); i++)
    {
      const char *translated = g_dgettext (GETTEXT_PACKAGE, english[i]);

      /* The catalogue for the language is there and translates the label... */
      if (g_strcmp0 (translated, english[i]) == 0)
        g_error ("po/%s.po does not translate “%s”, or its catalogue was not found", language,
                 english[i]);
      /* ...and the window shows the translation, not the English text. */
      if (!shows_text (GTK_WIDGET (window), translated))
        g_error ("The window does not show “%s” (%s for “%s”)", translated, language, english[i]);
      g_assert_false (shows_text (GTK_WIDGET (window), english[i]));
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
import_done (gpointer data)
{
  return g_strcmp0 (rapport_import_dialog_get_page (data), "summary") == 0;
}

static gboolean
import_ready (gpointer data)
{
  return g_strcmp0 (rapport_import_dialog_get_page (data), "csv") == 0;
}

/* Counts are written as the language writes numbers: the import's summary
 * of 1,234 contacts in German and French. */
static void
test_counts_grouped (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autofree char *path = g_build_filename (ts->dir, "contacts.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GString) csv = g_string_new ("Name,Email\n");
  const char *expected = g_str_equal (language, "de") ? "1.234 Kontakte importiert"
                                                      : "1\u202f234 contacts importés";
  const char *locale = g_getenv ("RAPPORT_TEST_LOCALE");
  RapportImportDialog *dialog;

  g_assert_nonnull (locale);
  if (setlocale (LC_NUMERIC, locale) == NULL)
    g_error ("The locale %s made for the test is not there (LOCPATH=%s)", locale, g_getenv ("LOCPATH"));
  for (guint i = 0; i < 1234; i++)
    g_string_append_printf (csv, "Person %u,person.%u@example.org\n", i, i);
  g_assert_true (g_file_set_contents (path, csv->str, (gssize) csv->len, NULL));

  dialog = rapport_import_dialog_new (NULL, ts->store);
  gtk_window_present (GTK_WINDOW (dialog));
  rapport_import_dialog_open_file (dialog, file);
  ui_wait_until (import_ready, dialog, "the file read");
  g_assert_true (rapport_import_dialog_start (dialog));
  ui_wait_until (import_done, dialog, "the import");
  if (!shows_text (GTK_WIDGET (dialog), expected))
    g_error ("The import's summary does not say “%s”", expected);
  gtk_window_destroy (GTK_WINDOW (dialog));
  ui_settle ();
  setlocale (LC_NUMERIC, "C");
}

int
main (int argc, char *argv[])
{
  const char *localedir = g_getenv ("RAPPORT_LOCALEDIR");
  g_autofree char *path = NULL;

  language = g_getenv ("RAPPORT_TEST_LANGUAGE");
  g_assert_nonnull (language);
  g_setenv ("LANGUAGE", language, TRUE);
  g_setenv ("LANG", "C.UTF-8", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  path = g_strdup_printf ("/translations/%s/window", language);
  g_test_add_func (path, test_window_is_translated);
  g_free (path);
  path = g_strdup_printf ("/translations/%s/counts-grouped", language);
  g_test_add_func (path, test_counts_grouped);
  return g_test_run ();
}
