/* rapport-duplicates-dialog.c: Find duplicates: reviewing and merging contacts that look like one person */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-dialog.h"
#include "rapport-duplicates.h"
#include "rapport-duplicates-dialog.h"
#include "rapport-format.h"
#include "rapport-import.h"
#include "rapport-merge-contacts.h"
/* rapport_store_open_connection(): the search thread's own connection */
#include "rapport-store-private.h"

/* The list shows at most this many pairs; merging them shows the next. */
#define MAX_PAIRS 200

/* One search for pairs, shared by the dialog and its thread. */
typedef struct
{
  RapportStore *connection;    /* the thread's own connection to the store */
  int permille;                /* progress, written by the thread (atomic) */
} FindJob;

static void
find_job_clear (gpointer data)
{
  FindJob *job = data;

  g_clear_object (&job->connection);
}

static void
find_job_unref (gpointer job)
{
  g_atomic_rc_box_release_full (job, find_job_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FindJob, find_job_unref)

struct _RapportDuplicatesDialog
{
  AdwWindow parent_instance;

  /* Template children */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkStack *stack;
  GtkSpinner *spinner;
  GtkProgressBar *progress_bar;
  AdwStatusPage *error_page;
  GtkListBox *pair_list;
  GtkLabel *error_label;
  AdwActionRow *first_row;
  AdwActionRow *second_row;
  GtkCheckButton *keep_first_check;
  GtkCheckButton *keep_second_check;
  AdwPreferencesGroup *fields_group;
  AdwActionRow *union_row;
  GtkWidget *merge_button;

  RapportStore *store;
  char *region;
  GCancellable *cancellable;
  FindJob *job;                /* the search running, for its progress */
  guint progress_id;           /* shows the job's progress while loading */
  GPtrArray *pairs;            /* (element-type RapportDuplicatePair) shown in pair_list */
  RapportContact *first;       /* the selected pair */
  RapportContact *second;
  GPtrArray *field_rows;       /* rows added to fields_group */
  GHashTable *rows_by_field;   /* field name -> AdwComboRow (not owned) */
  RapportContactMerge *last_merge;
  gboolean closed;
};

G_DEFINE_FINAL_TYPE (RapportDuplicatesDialog, rapport_duplicates_dialog, ADW_TYPE_WINDOW)

/* The fields a person chooses between, in the order shown. Emails, phones,
 * addresses, social handles and tags are always united. */
static const struct
{
  const char *field;
  const char *title;
} choice_fields[] = {
  { "name", N_("Name") },
  { "given_name", N_("First name") },
  { "family_name", N_("Last name") },
  { "kind", N_("Person or organization") },
  { "organization", N_("Organization") },
  { "job_title", N_("Job title") },
  { "relationship", N_("Relationship") },
  { "stage", N_("Stage") },
  { "owner", N_("Owner") },
  { "birthday", N_("Birthday") },
  { "source", N_("Source") },
  { "preferred_channel", N_("Preferred channel") },
  { "do_not_contact", N_("Do not contact") },
  { "marketing_consent", N_("Marketing consent") },
  { "cadence_days", N_("Keep in touch") },
};

/* Showing values ---------------------------------------------------------- */

/* A field's value as a person reads it, or NULL when it is empty. */
static char *
display_value (RapportDuplicatesDialog *self, const char *field, JsonNode *node)
{
  const char *text;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (g_str_equal (field, "do_not_contact") || g_str_equal (field, "marketing_consent"))
    return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));
  if (g_str_equal (field, "cadence_days"))
    {
      gint64 days = json_node_get_int (node);
      if (days <= 0)
        return NULL;
      return g_strdup_printf (ngettext ("Every %d day", "Every %d days", (gulong) days), (int) days);
    }
  text = json_node_get_string (node);
  if (text == NULL || *text == '\0')
    return NULL;
  if (g_str_equal (field, "owner"))
    return rapport_format_user (self->store, text);
  if (g_str_equal (field, "kind"))
    return g_strdup (rapport_choice_label (RAPPORT_CHOICE_CONTACT_KIND, text));
  if (g_str_equal (field, "relationship"))
    return g_strdup (rapport_choice_label (RAPPORT_CHOICE_RELATIONSHIP, text));
  if (g_str_equal (field, "preferred_channel"))
    return g_strdup (rapport_choice_label (RAPPORT_CHOICE_CHANNEL, text));
  return g_strdup (text);
}

static const char *
contact_name (RapportContact *contact)
{
  return contact->name && *contact->name ? contact->name : _("Unnamed contact");
}

static char *
contact_details (RapportDuplicatesDialog *self, RapportContact *contact)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *added = NULL;
  const char *email = rapport_contact_get_primary_email (contact);
  const char *phone = rapport_contact_get_primary_phone (contact);
  gint64 created, now;

  if (email != NULL)
    g_ptr_array_add (parts, g_strdup (email));
  if (phone != NULL)
    g_ptr_array_add (parts, g_strdup (phone));
  if (contact->organization && *contact->organization)
    g_ptr_array_add (parts, g_strdup (contact->organization));
  created = RAPPORT_RECORD (contact)->created_at;
  now = rapport_store_now (self->store);
  /* "today", "3 days ago", then a date */
  added = now - created < 7 * 24 * 60 * 60 ? rapport_format_relative_day (created, now)
                                           : rapport_format_time (created, now);
  /* Translators: %s is when a contact was created ("3 March 2024") */
  g_ptr_array_add (parts, g_strdup_printf (_("added %s"), added));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static void
append_unique (GPtrArray *values, const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  for (guint i = 0; i < values->len; i++)
    if (g_utf8_collate (values->pdata[i], value) == 0)
      return;
  g_ptr_array_add (values, g_strdup (value));
}

static void
append_members (GPtrArray *values, JsonArray *array, const char *member)
{
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      if (object != NULL)
        append_unique (values, json_object_get_string_member_with_default (object, member, NULL));
    }
}

/* What the merge unites, written out. */
static char *
union_text (RapportDuplicatesDialog *self)
{
  g_autoptr (RapportContact) merged = RAPPORT_CONTACT (rapport_record_copy (RAPPORT_RECORD (self->first)));
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

  rapport_contact_merge_into (merged, self->second, self->region);
  append_members (values, merged->emails, "value");
  append_members (values, merged->phones, "value");
  append_members (values, merged->addresses, "city");
  for (guint i = 0; merged->tags && merged->tags[i]; i++)
    append_unique (values, merged->tags[i]);
  if (values->len == 0)
    return g_strdup (_("Neither has any"));
  g_ptr_array_add (values, NULL);
  return g_strjoinv (", ", (char **) values->pdata);
}

/* The selected pair ------------------------------------------------------- */

static void
clear_field_rows (RapportDuplicatesDialog *self)
{
  for (guint i = 0; i < self->field_rows->len; i++)
    adw_preferences_group_remove (self->fields_group, self->field_rows->pdata[i]);
  g_ptr_array_set_size (self->field_rows, 0);
  g_hash_table_remove_all (self->rows_by_field);
}

static void
add_field_row (RapportDuplicatesDialog *self, GtkWidget *row)
{
  adw_preferences_group_add (self->fields_group, row);
  g_ptr_array_add (self->field_rows, row);
}

static void
fill_field_rows (RapportDuplicatesDialog *self)
{
  g_autoptr (JsonObject) a = rapport_record_to_json (RAPPORT_RECORD (self->first));
  g_autoptr (JsonObject) b = rapport_record_to_json (RAPPORT_RECORD (self->second));

  clear_field_rows (self);
  for (guint i = 0; i < G_N_ELEMENTS (choice_fields); i++)
    {
      const char *field = choice_fields[i].field;
      g_autofree char *va = display_value (self, field, json_object_get_member (a, field));
      g_autofree char *vb = display_value (self, field, json_object_get_member (b, field));
      g_autoptr (GtkStringList) model = NULL;
      GtkWidget *row;

      /* Only a real disagreement is a choice: an empty field is filled. */
      if (va == NULL || vb == NULL || json_node_equal (json_object_get_member (a, field),
                                                       json_object_get_member (b, field)))
        continue;
      model = gtk_string_list_new (NULL);
      gtk_string_list_append (model, va);
      gtk_string_list_append (model, vb);
      row = adw_combo_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(choice_fields[i].title));
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
      /* The kept record's value, the first, until the person chooses. */
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), 0);
      rapport_set_accessible_label (row, _(choice_fields[i].title));
      add_field_row (self, row);
      g_hash_table_insert (self->rows_by_field, (gpointer) field, row);
    }
  if (self->field_rows->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("The two agree on every field they both have"));
      add_field_row (self, row);
    }
}

static void
show_contact_row (RapportDuplicatesDialog *self, AdwActionRow *row, RapportContact *contact)
{
  g_autofree char *details = contact_details (self, contact);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), contact_name (contact));
  adw_action_row_set_subtitle (row, details);
}

static void
show_pair (RapportDuplicatesDialog *self, RapportDuplicatePair *pair)
{
  g_autofree char *united = NULL;

  g_clear_object (&self->first);
  g_clear_object (&self->second);
  rapport_dialog_show_error (self->error_label, NULL);
  if (pair == NULL)
    return;
  self->first = rapport_store_get_contact (self->store, pair->first_id, NULL);
  self->second = rapport_store_get_contact (self->store, pair->second_id, NULL);
  if (self->first == NULL || self->second == NULL)
    {
      g_clear_object (&self->first);
      g_clear_object (&self->second);
      return;
    }
  /* The older record is shown first, and kept by default: others may
   * already refer to it. */
  if (RAPPORT_RECORD (self->second)->created_at < RAPPORT_RECORD (self->first)->created_at)
    {
      RapportContact *older = self->second;
      self->second = self->first;
      self->first = older;
    }
  show_contact_row (self, self->first_row, self->first);
  show_contact_row (self, self->second_row, self->second);
  gtk_check_button_set_active (self->keep_first_check, TRUE);
  fill_field_rows (self);
  united = union_text (self);
  adw_action_row_set_subtitle (self->union_row, united);
}

static void
pair_selected_cb (GtkListBox *list, GtkListBoxRow *row, RapportDuplicatesDialog *self)
{
  RapportDuplicatePair *pair = row ? g_object_get_data (G_OBJECT (row), "pair") : NULL;

  if (self->closed)
    return;
  show_pair (self, pair);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "duplicates.merge", self->first != NULL);
}

/* Looking for pairs ------------------------------------------------------- */

static const char *
reason_text (const char *reason)
{
  if (g_strcmp0 (reason, "email") == 0)
    return _("Same email");
  if (g_strcmp0 (reason, "phone") == 0)
    return _("Same phone number");
  return _("Same name and organization");
}

static GtkWidget *
pair_row (RapportDuplicatePair *pair, RapportContact *a, RapportContact *b)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *names = gtk_label_new (NULL);
  GtkWidget *reason = gtk_label_new (reason_text (pair->reason));
  /* Translators: two contacts that look like one person */
  g_autofree char *text = g_strdup_printf (_("%s and %s"), contact_name (a), contact_name (b));
  /* Translators: the accessible name of a pair: "Ana and Ana Silva, Same email" */
  g_autofree char *accessible = g_strdup_printf (_("%s, %s"), text, reason_text (pair->reason));

  gtk_label_set_text (GTK_LABEL (names), text);
  gtk_label_set_xalign (GTK_LABEL (names), 0);
  gtk_label_set_ellipsize (GTK_LABEL (names), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (reason), 0);
  gtk_widget_add_css_class (reason, "dim-label");
  gtk_widget_add_css_class (reason, "caption");
  gtk_box_append (GTK_BOX (box), names);
  gtk_box_append (GTK_BOX (box), reason);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  rapport_set_accessible_label (row, accessible);
  g_object_set_data (G_OBJECT (row), "pair", pair);
  return row;
}

static void
show_pairs (RapportDuplicatesDialog *self, GPtrArray *found)
{
  g_autofree char *subtitle = NULL;
  GtkListBoxRow *row;
  guint gone = 0;

  while ((row = gtk_list_box_get_row_at_index (self->pair_list, 0)) != NULL)
    gtk_list_box_remove (self->pair_list, GTK_WIDGET (row));
  g_ptr_array_set_size (self->pairs, 0);
  for (guint i = 0; i < found->len && self->pairs->len < MAX_PAIRS; i++)
    {
      RapportDuplicatePair *pair = found->pdata[i];
      g_autoptr (RapportContact) a = rapport_store_get_contact (self->store, pair->first_id, NULL);
      g_autoptr (RapportContact) b = rapport_store_get_contact (self->store, pair->second_id, NULL);

      /* Merged or deleted since the search. */
      if (a == NULL || b == NULL || RAPPORT_RECORD (a)->deleted || RAPPORT_RECORD (b)->deleted)
        {
          gone++;
          continue;
        }
      found->pdata[i] = NULL;
      g_ptr_array_add (self->pairs, pair);
      gtk_list_box_append (self->pair_list, pair_row (pair, a, b));
    }
  if (self->pairs->len == 0)
    {
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      show_pair (self, NULL);
      return;
    }
  subtitle = g_strdup_printf (ngettext ("%'u possible duplicate", "%'u possible duplicates",
                                        found->len - gone), found->len - gone);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_stack_set_visible_child_name (self->stack, "pairs");
  gtk_list_box_select_row (self->pair_list, gtk_list_box_get_row_at_index (self->pair_list, 0));
}

static void
find_progress_cb (double fraction, gpointer user_data)
{
  FindJob *job = user_data;

  g_atomic_int_set (&job->permille, (int) (fraction * 1000));
}

static void
find_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  FindJob *job = task_data;
  g_autofree char *region = rapport_import_default_region ();
  GError *error = NULL;
  GPtrArray *pairs;

  /* Reads the indexed keys in order (rapport-duplicates-scan.c), on the
   * job's own connection: a second or so for 100,000 contacts. */
  pairs = rapport_duplicates_scan (job->connection, region, cancellable, find_progress_cb, NULL, job,
                                   &error);
  if (pairs == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pairs, (GDestroyNotify) g_ptr_array_unref);
}

static void
stop_progress (RapportDuplicatesDialog *self)
{
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_pointer (&self->job, find_job_unref);
}

/* Shows the running search's progress; the thread only writes a number. */
static gboolean
progress_cb (gpointer user_data)
{
  RapportDuplicatesDialog *self = user_data;

  if (self->job != NULL)
    gtk_progress_bar_set_fraction (self->progress_bar, g_atomic_int_get (&self->job->permille) / 1000.0);
  return G_SOURCE_CONTINUE;
}

static void
find_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RapportDuplicatesDialog) self = user_data;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GError) error = NULL;

  found = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->closed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  stop_progress (self);
  gtk_spinner_stop (self->spinner);
  if (found == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  show_pairs (self, found);
}

static void
find_pairs (RapportDuplicatesDialog *self)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (FindJob) job = g_atomic_rc_box_new0 (FindJob);
  g_autoptr (GError) error = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  stop_progress (self);
  self->cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "duplicates.merge", FALSE);
  /* A connection is used by one thread: the search gets its own. */
  job->connection = rapport_store_open_connection (self->store, &error);
  if (job->connection == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  if (self->pairs->len == 0)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      gtk_stack_set_visible_child_name (self->stack, "loading");
      gtk_spinner_start (self->spinner);
    }
  self->job = g_atomic_rc_box_acquire (job);
  self->progress_id = g_timeout_add (100, progress_cb, self);
  task = g_task_new (NULL, self->cancellable, find_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, find_pairs);
  g_task_set_task_data (task, g_steal_pointer (&job), find_job_unref);
  g_task_run_in_thread (task, find_thread);
}

/* Merging and undoing ----------------------------------------------------- */

gboolean
rapport_duplicates_dialog_merge (RapportDuplicatesDialog *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) from_other = NULL;
  g_autoptr (GError) error = NULL;
  RapportContact *keep, *other;
  RapportContactMerge *merge;
  gboolean keep_first;
  AdwToast *toast;

  g_return_val_if_fail (RAPPORT_IS_DUPLICATES_DIALOG (self), FALSE);

  if (self->first == NULL)
    return FALSE;
  keep_first = gtk_check_button_get_active (self->keep_first_check);
  keep = keep_first ? self->first : self->second;
  other = keep_first ? self->second : self->first;
  for (guint i = 0; i < G_N_ELEMENTS (choice_fields); i++)
    {
      const char *field = choice_fields[i].field;
      AdwComboRow *row = g_hash_table_lookup (self->rows_by_field, field);

      if (row == NULL || adw_combo_row_get_selected (row) == (keep_first ? 0u : 1u))
        continue;
      g_strv_builder_add (builder, field);
      /* The organization named and the one linked go together. */
      if (g_str_equal (field, "organization"))
        g_strv_builder_add (builder, "organization_id");
    }
  from_other = g_strv_builder_end (builder);
  merge = rapport_store_merge_contacts (self->store, RAPPORT_RECORD (keep)->id,
                                        RAPPORT_RECORD (other)->id, (const char *const *) from_other,
                                        self->region, &error);
  if (merge == NULL)
    {
      rapport_dialog_show_error (self->error_label, error->message);
      return FALSE;
    }
  g_clear_pointer (&self->last_merge, rapport_contact_merge_free);
  self->last_merge = merge;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "duplicates.undo", TRUE);

  /* Translators: %s is the name of the contact two were merged into */
  toast = adw_toast_new_format (_("Merged into “%s”"), contact_name (keep));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "duplicates.undo");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  find_pairs (self);
  return TRUE;
}

gboolean
rapport_duplicates_dialog_undo (RapportDuplicatesDialog *self)
{
  g_autoptr (RapportContactMerge) merge = NULL;
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (RAPPORT_IS_DUPLICATES_DIALOG (self), FALSE);

  merge = g_steal_pointer (&self->last_merge);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "duplicates.undo", FALSE);
  if (merge == NULL)
    return FALSE;
  if (!rapport_store_undo_merge (self->store, merge, &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return FALSE;
    }
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Merge undone")));
  find_pairs (self);
  return TRUE;
}

static void
merge_action (GtkWidget *widget, const char *name, GVariant *param)
{
  rapport_duplicates_dialog_merge (RAPPORT_DUPLICATES_DIALOG (widget));
}

static void
undo_action (GtkWidget *widget, const char *name, GVariant *param)
{
  rapport_duplicates_dialog_undo (RAPPORT_DUPLICATES_DIALOG (widget));
}

/* GObject ----------------------------------------------------------------- */

static void
rapport_duplicates_dialog_dispose (GObject *object)
{
  RapportDuplicatesDialog *self = RAPPORT_DUPLICATES_DIALOG (object);

  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  stop_progress (self);
  gtk_widget_dispose_template (GTK_WIDGET (object), RAPPORT_TYPE_DUPLICATES_DIALOG);
  G_OBJECT_CLASS (rapport_duplicates_dialog_parent_class)->dispose (object);
}

static void
rapport_duplicates_dialog_finalize (GObject *object)
{
  RapportDuplicatesDialog *self = RAPPORT_DUPLICATES_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->first);
  g_clear_object (&self->second);
  g_clear_pointer (&self->pairs, g_ptr_array_unref);
  g_clear_pointer (&self->field_rows, g_ptr_array_unref);
  g_clear_pointer (&self->rows_by_field, g_hash_table_unref);
  g_clear_pointer (&self->last_merge, rapport_contact_merge_free);
  g_clear_object (&self->store);
  g_free (self->region);
  G_OBJECT_CLASS (rapport_duplicates_dialog_parent_class)->finalize (object);
}

static void
rapport_duplicates_dialog_class_init (RapportDuplicatesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_duplicates_dialog_dispose;
  object_class->finalize = rapport_duplicates_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-duplicates-dialog.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, RapportDuplicatesDialog, name)
  BIND (toast_overlay);
  BIND (window_title);
  BIND (stack);
  BIND (spinner);
  BIND (progress_bar);
  BIND (error_page);
  BIND (pair_list);
  BIND (error_label);
  BIND (first_row);
  BIND (second_row);
  BIND (keep_first_check);
  BIND (keep_second_check);
  BIND (fields_group);
  BIND (union_row);
  BIND (merge_button);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, pair_selected_cb);

  gtk_widget_class_install_action (widget_class, "duplicates.merge", NULL, merge_action);
  gtk_widget_class_install_action (widget_class, "duplicates.undo", NULL, undo_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "duplicates.merge", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "duplicates.undo", NULL);
}

static void
rapport_duplicates_dialog_init (RapportDuplicatesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_duplicate_pair_free);
  self->field_rows = g_ptr_array_new ();
  self->rows_by_field = g_hash_table_new (g_str_hash, g_str_equal);
  self->region = rapport_import_default_region ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "duplicates.merge", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "duplicates.undo", FALSE);
}

RapportDuplicatesDialog *
rapport_duplicates_dialog_new (GtkWindow *parent, RapportStore *store)
{
  RapportDuplicatesDialog *self;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);

  self = g_object_new (RAPPORT_TYPE_DUPLICATES_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  find_pairs (self);
  return self;
}

const char *
rapport_duplicates_dialog_get_page (RapportDuplicatesDialog *self)
{
  g_return_val_if_fail (RAPPORT_IS_DUPLICATES_DIALOG (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

guint
rapport_duplicates_dialog_get_n_pairs (RapportDuplicatesDialog *self)
{
  g_return_val_if_fail (RAPPORT_IS_DUPLICATES_DIALOG (self), 0);
  return self->pairs->len;
}

AdwComboRow *
rapport_duplicates_dialog_get_field_row (RapportDuplicatesDialog *self, const char *field)
{
  g_return_val_if_fail (RAPPORT_IS_DUPLICATES_DIALOG (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);
  return g_hash_table_lookup (self->rows_by_field, field);
}

const char *
rapport_duplicates_dialog_get_first_id (RapportDuplicatesDialog *self)
{
  g_return_val_if_fail (RAPPORT_IS_DUPLICATES_DIALOG (self), NULL);
  return self->first ? RAPPORT_RECORD (self->first)->id : NULL;
}

const char *
rapport_duplicates_dialog_get_second_id (RapportDuplicatesDialog *self)
{
  g_return_val_if_fail (RAPPORT_IS_DUPLICATES_DIALOG (self), NULL);
  return self->second ? RAPPORT_RECORD (self->second)->id : NULL;
}
