/* rapport-contact-editor.c: creating and editing a contact */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "rapport-contact-editor.h"
#include "rapport-dialog.h"
#include "rapport-duplicates.h"
#include "rapport-format.h"

struct _RapportContactEditor
{
  AdwWindow parent_instance;

  AdwWindowTitle *window_title;
  GtkWidget *save_button;
  GtkLabel *error_label;
  GtkWidget *duplicate_box;
  GtkLabel *duplicate_label;
  AdwComboRow *kind_row;
  AdwEntryRow *name_row;
  AdwEntryRow *organization_row;
  AdwEntryRow *job_title_row;
  AdwComboRow *relationship_row;
  AdwEntryRow *stage_row;
  AdwComboRow *owner_row;
  AdwEntryRow *tags_row;
  AdwEntryRow *emails_row;
  AdwEntryRow *phones_row;
  AdwComboRow *channel_row;
  GtkSwitch *do_not_contact_switch;
  GtkSwitch *marketing_switch;
  GtkSpinButton *cadence_spin;
  AdwEntryRow *birthday_row;
  AdwEntryRow *source_row;

  RapportStore *store;
  RapportContact *contact;       /* the working copy */
  gboolean is_new;
  gboolean cadence_touched;
  gboolean setting_cadence;
  gboolean duplicates_seen;      /* the person saw the warning: a second save goes ahead */
  char *duplicate_id;            /* the first likely duplicate, for "Open" */
  GPtrArray *owner_ids;          /* parallel to owner_row; [0] = NULL */
  guint check_id;
};

enum
{
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RapportContactEditor, rapport_contact_editor, ADW_TYPE_WINDOW)

/* Reading the fields ------------------------------------------------------- */

static char *
entry_text (AdwEntryRow *row)
{
  return rapport_strdup_trimmed (gtk_editable_get_text (GTK_EDITABLE (row)));
}

static char **
split_list (const char *text)
{
  g_auto (GStrv) parts = g_strsplit_set (text ? text : "", ",;", -1);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i]; i++)
    {
      char *part = g_strstrip (parts[i]);
      if (*part != '\0')
        g_strv_builder_add (builder, part);
    }
  return g_strv_builder_end (builder);
}

static gboolean
valid_email (const char *email)
{
  return g_regex_match_simple ("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", email, 0, 0);
}

static gboolean
valid_phone (const char *phone)
{
  guint digits = 0;

  for (const char *p = phone; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (!strchr (" +-()./", *p) && !(g_ascii_tolower (*p) == 'x'))
        return FALSE;
    }
  return digits >= 5;
}

static gboolean
valid_birthday (const char *text)
{
  int y = 0, m = 0, d = 0;

  if (g_str_has_prefix (text, "--"))
    return sscanf (text, "--%2d-%2d", &m, &d) == 2 && g_date_valid_dmy (d, m, 2000);
  return strlen (text) == 10 && sscanf (text, "%4d-%2d-%2d", &y, &m, &d) == 3
         && g_date_valid_dmy (d, m, y);
}

/* JSON arrays of { label, value }, keeping the labels of values kept. */
static JsonArray *
labelled_array (JsonArray *old, char **values)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; values[i]; i++)
    {
      JsonObject *o = json_object_new ();
      const char *label = NULL;

      for (guint j = 0; old && j < json_array_get_length (old); j++)
        {
          JsonObject *prev = json_array_get_object_element (old, j);
          if (g_strcmp0 (json_object_get_string_member_with_default (prev, "value", NULL),
                         values[i]) == 0)
            label = json_object_get_string_member_with_default (prev, "label", NULL);
        }
      json_object_set_string_member (o, "label", label ? label : (i == 0 ? "work" : "other"));
      json_object_set_string_member (o, "value", values[i]);
      json_array_add_object_element (array, o);
    }
  return array;
}

static char *
joined_values (JsonArray *array)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) values = NULL;

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      const char *value = json_object_get_string_member_with_default (o, "value", NULL);
      if (value)
        g_strv_builder_add (builder, value);
    }
  values = g_strv_builder_end (builder);
  return g_strjoinv (", ", values);
}

static void
mark_row (GtkWidget *row, gboolean bad)
{
  if (bad)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

/* Writes the fields into @contact; FALSE with the error shown when one is
 * wrong. */
static gboolean
read_fields (RapportContactEditor *self, RapportContact *contact, gboolean report)
{
  g_autofree char *name = entry_text (self->name_row);
  g_autofree char *tags = entry_text (self->tags_row);
  g_autofree char *emails_text = entry_text (self->emails_row);
  g_autofree char *phones_text = entry_text (self->phones_row);
  g_autofree char *birthday = entry_text (self->birthday_row);
  g_auto (GStrv) emails = split_list (emails_text);
  g_auto (GStrv) phones = split_list (phones_text);
  const char *problem = NULL;
  GtkWidget *bad_row = NULL;
  guint owner = adw_combo_row_get_selected (self->owner_row);

  for (guint i = 0; emails[i] && problem == NULL; i++)
    if (!valid_email (emails[i]))
      problem = _("An email address looks wrong: write it like name@example.org, and separate several with commas."),
      bad_row = GTK_WIDGET (self->emails_row);
  for (guint i = 0; phones[i] && problem == NULL; i++)
    if (!valid_phone (phones[i]))
      problem = _("A phone number looks wrong: use digits, spaces and + - ( ), and separate several with commas."),
      bad_row = GTK_WIDGET (self->phones_row);
  if (problem == NULL && birthday != NULL && !valid_birthday (birthday))
    problem = _("Write the birthday as YYYY-MM-DD, or --MM-DD without the year."),
    bad_row = GTK_WIDGET (self->birthday_row);
  if (problem == NULL && name == NULL)
    problem = _("Give the contact a name."), bad_row = GTK_WIDGET (self->name_row);

  mark_row (GTK_WIDGET (self->name_row), bad_row == GTK_WIDGET (self->name_row));
  mark_row (GTK_WIDGET (self->emails_row), bad_row == GTK_WIDGET (self->emails_row));
  mark_row (GTK_WIDGET (self->phones_row), bad_row == GTK_WIDGET (self->phones_row));
  mark_row (GTK_WIDGET (self->birthday_row), bad_row == GTK_WIDGET (self->birthday_row));
  if (problem != NULL)
    {
      if (report)
        {
          rapport_dialog_show_error (self->error_label, problem);
          gtk_widget_grab_focus (bad_row);
        }
      return FALSE;
    }
  rapport_dialog_show_error (self->error_label, NULL);

#define SET(field, value) (g_free (contact->field), contact->field = (value))
  SET (kind, g_strdup (rapport_combo_row_get_keyword (self->kind_row, RAPPORT_CHOICE_CONTACT_KIND)));
  SET (name, g_steal_pointer (&name));
  SET (organization, entry_text (self->organization_row));
  SET (job_title, entry_text (self->job_title_row));
  SET (relationship, g_strdup (rapport_combo_row_get_keyword (self->relationship_row,
                                                              RAPPORT_CHOICE_RELATIONSHIP)));
  SET (stage, entry_text (self->stage_row));
  SET (owner, g_strdup (owner < self->owner_ids->len ? self->owner_ids->pdata[owner] : NULL));
  SET (preferred_channel, g_strdup (rapport_combo_row_get_keyword (self->channel_row,
                                                                   RAPPORT_CHOICE_CHANNEL)));
  SET (birthday, g_steal_pointer (&birthday));
  SET (source, entry_text (self->source_row));
#undef SET
  g_strfreev (contact->tags);
  contact->tags = split_list (tags);
  {
    JsonArray *e = labelled_array (contact->emails, emails);
    JsonArray *p = labelled_array (contact->phones, phones);
    g_clear_pointer (&contact->emails, json_array_unref);
    g_clear_pointer (&contact->phones, json_array_unref);
    contact->emails = e;
    contact->phones = p;
  }
  contact->do_not_contact = gtk_switch_get_active (self->do_not_contact_switch);
  contact->marketing_consent = gtk_switch_get_active (self->marketing_switch);
  contact->cadence_days = gtk_spin_button_get_value_as_int (self->cadence_spin);
  return TRUE;
}

/* Likely duplicates ----------------------------------------------------------- */

/* Looks for other contacts with the same email, phone or name; shows the
 * first ones. Returns TRUE when there are some. */
static gboolean
check_duplicates (RapportContactEditor *self)
{
  g_autoptr (RapportContact) probe = RAPPORT_CONTACT (rapport_record_copy (RAPPORT_RECORD (self->contact)));
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GString) names = g_string_new (NULL);
  g_autofree char *text = NULL;

  if (!read_fields (self, probe, FALSE))
    return FALSE;
  ids = rapport_store_find_duplicates (self->store, probe, NULL, NULL);
  g_clear_pointer (&self->duplicate_id, g_free);
  if (ids == NULL || ids->len == 0)
    {
      gtk_widget_set_visible (self->duplicate_box, FALSE);
      return FALSE;
    }
  self->duplicate_id = g_strdup (ids->pdata[0]);
  for (guint i = 0; i < MIN (ids->len, 3u); i++)
    {
      g_autoptr (RapportContact) other = rapport_store_get_contact (self->store, ids->pdata[i], NULL);
      const char *email = other ? rapport_contact_get_primary_email (other) : NULL;

      if (other == NULL)
        continue;
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, other->name ? other->name : "?");
      if (email != NULL)
        g_string_append_printf (names, " <%s>", email);
    }
  text = g_strdup_printf (ngettext ("This may be the same as %s, who has the same email, phone or name.",
                                    "This may be the same as %s, who have the same email, phone or name.",
                                    ids->len),
                          names->str);
  gtk_label_set_text (self->duplicate_label, text);
  gtk_widget_set_visible (self->duplicate_box, TRUE);
  return TRUE;
}

static gboolean
check_cb (gpointer user_data)
{
  RapportContactEditor *self = user_data;

  self->check_id = 0;
  check_duplicates (self);
  return G_SOURCE_REMOVE;
}

static void
identity_changed_cb (RapportContactEditor *self)
{
  self->duplicates_seen = FALSE;
  gtk_button_set_label (GTK_BUTTON (self->save_button), _("_Save"));
  g_clear_handle_id (&self->check_id, g_source_remove);
  self->check_id = g_timeout_add (300, check_cb, self);
}

static void
open_duplicate_cb (RapportContactEditor *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (self->duplicate_id == NULL || parent == NULL)
    return;
  gtk_widget_activate_action (GTK_WIDGET (parent), "window.show-contact", "s", self->duplicate_id);
  gtk_window_close (GTK_WINDOW (self));
}

/* Cadence follows the relationship until the person sets it. */
static void
relationship_changed_cb (RapportContactEditor *self)
{
  const char *relationship;

  if (self->cadence_touched || !self->is_new)
    return;
  relationship = rapport_combo_row_get_keyword (self->relationship_row, RAPPORT_CHOICE_RELATIONSHIP);
  self->setting_cadence = TRUE;
  gtk_spin_button_set_value (self->cadence_spin, rapport_settings_default_cadence (relationship));
  self->setting_cadence = FALSE;
}

static void
cadence_changed_cb (RapportContactEditor *self)
{
  if (!self->setting_cadence)
    self->cadence_touched = TRUE;
}

/* Saving ---------------------------------------------------------------------- */

gboolean
rapport_contact_editor_save (RapportContactEditor *self)
{
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (RAPPORT_IS_CONTACT_EDITOR (self), FALSE);

  g_clear_handle_id (&self->check_id, g_source_remove);
  if (!read_fields (self, self->contact, TRUE))
    return FALSE;
  if (!self->duplicates_seen && check_duplicates (self))
    {
      /* Point it out once; saving again goes ahead. */
      self->duplicates_seen = TRUE;
      gtk_button_set_label (GTK_BUTTON (self->save_button), _("_Save Anyway"));
      return FALSE;
    }
  if (self->is_new)
    {
      g_free (self->contact->created_by);
      self->contact->created_by = g_strdup (rapport_store_get_me_id (self->store));
    }
  if (!rapport_store_save (self->store, RAPPORT_RECORD (self->contact), &error))
    {
      rapport_dialog_show_error (self->error_label, error->message);
      return FALSE;
    }
  g_signal_emit (self, signals[SAVED], 0, RAPPORT_RECORD (self->contact)->id);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
save_action (GtkWidget *widget, const char *name, GVariant *param)
{
  rapport_contact_editor_save (RAPPORT_CONTACT_EDITOR (widget));
}

/* Filling the fields ------------------------------------------------------- */

static void
set_entry (AdwEntryRow *row, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

static void
fill_owners (RapportContactEditor *self, const char *owner)
{
  g_autoptr (GPtrArray) users = rapport_store_list_users (self->store);
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  gtk_string_list_append (names, _("Nobody"));
  g_ptr_array_add (self->owner_ids, NULL);
  for (guint i = 0; i < users->len; i++)
    {
      RapportUser *user = users->pdata[i];
      const char *name = user->display_name && *user->display_name ? user->display_name : user->name;

      if (g_strcmp0 (RAPPORT_RECORD (user)->id, owner) == 0)
        selected = self->owner_ids->len;
      gtk_string_list_append (names, name ? name : RAPPORT_RECORD (user)->id);
      g_ptr_array_add (self->owner_ids, g_strdup (RAPPORT_RECORD (user)->id));
    }
  adw_combo_row_set_model (self->owner_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->owner_row, selected);
}

static void
fill (RapportContactEditor *self)
{
  RapportContact *c = self->contact;
  g_autofree char *tags = c->tags ? g_strjoinv (", ", c->tags) : NULL;
  g_autofree char *emails = joined_values (c->emails);
  g_autofree char *phones = joined_values (c->phones);

  rapport_combo_row_set_choices (self->kind_row, RAPPORT_CHOICE_CONTACT_KIND, c->kind);
  rapport_combo_row_set_choices (self->relationship_row, RAPPORT_CHOICE_RELATIONSHIP,
                                 c->relationship);
  rapport_combo_row_set_choices (self->channel_row, RAPPORT_CHOICE_CHANNEL,
                                 c->preferred_channel ? c->preferred_channel : "email");
  fill_owners (self, c->owner);
  set_entry (self->name_row, c->name);
  set_entry (self->organization_row, c->organization);
  set_entry (self->job_title_row, c->job_title);
  set_entry (self->stage_row, c->stage);
  set_entry (self->tags_row, tags);
  set_entry (self->emails_row, emails);
  set_entry (self->phones_row, phones);
  set_entry (self->birthday_row, c->birthday);
  set_entry (self->source_row, c->source);
  gtk_switch_set_active (self->do_not_contact_switch, c->do_not_contact);
  gtk_switch_set_active (self->marketing_switch, c->marketing_consent);
  self->setting_cadence = TRUE;
  gtk_spin_button_set_value (self->cadence_spin, c->cadence_days);
  self->setting_cadence = FALSE;
}

/* GObject --------------------------------------------------------------------- */

static void
rapport_contact_editor_dispose (GObject *object)
{
  RapportContactEditor *self = RAPPORT_CONTACT_EDITOR (object);

  g_clear_handle_id (&self->check_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), RAPPORT_TYPE_CONTACT_EDITOR);
  G_OBJECT_CLASS (rapport_contact_editor_parent_class)->dispose (object);
}

static void
rapport_contact_editor_finalize (GObject *object)
{
  RapportContactEditor *self = RAPPORT_CONTACT_EDITOR (object);

  g_clear_object (&self->store);
  g_clear_object (&self->contact);
  g_clear_pointer (&self->owner_ids, g_ptr_array_unref);
  g_free (self->duplicate_id);
  G_OBJECT_CLASS (rapport_contact_editor_parent_class)->finalize (object);
}

static void
rapport_contact_editor_class_init (RapportContactEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_contact_editor_dispose;
  object_class->finalize = rapport_contact_editor_finalize;

  /**
   * RapportContactEditor::saved:
   * @contact_id: the id of the saved contact
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-contact-editor.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, RapportContactEditor, name)
  CHILD (window_title);
  CHILD (save_button);
  CHILD (error_label);
  CHILD (duplicate_box);
  CHILD (duplicate_label);
  CHILD (kind_row);
  CHILD (name_row);
  CHILD (organization_row);
  CHILD (job_title_row);
  CHILD (relationship_row);
  CHILD (stage_row);
  CHILD (owner_row);
  CHILD (tags_row);
  CHILD (emails_row);
  CHILD (phones_row);
  CHILD (channel_row);
  CHILD (do_not_contact_switch);
  CHILD (marketing_switch);
  CHILD (cadence_spin);
  CHILD (birthday_row);
  CHILD (source_row);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, open_duplicate_cb);
  rapport_dialog_class_setup (widget_class, save_action);
}

static void
rapport_contact_editor_init (RapportContactEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->owner_ids = g_ptr_array_new_with_free_func (g_free);
}

RapportContactEditor *
rapport_contact_editor_new (GtkWindow *parent, RapportStore *store, RapportContact *contact)
{
  RapportContactEditor *self;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (contact == NULL || RAPPORT_IS_CONTACT (contact), NULL);

  self = g_object_new (RAPPORT_TYPE_CONTACT_EDITOR, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->is_new = contact == NULL;
  if (contact != NULL)
    self->contact = RAPPORT_CONTACT (rapport_record_copy (RAPPORT_RECORD (contact)));
  else
    {
      self->contact = rapport_contact_new ();
      self->contact->kind = g_strdup ("person");
      self->contact->relationship = g_strdup ("prospect");
      self->contact->owner = g_strdup (rapport_store_get_me_id (store));
      self->contact->cadence_days = rapport_settings_default_cadence ("prospect");
    }
  fill (self);
  if (!self->is_new)
    {
      adw_window_title_set_title (self->window_title, _("Edit Contact"));
      adw_window_title_set_subtitle (self->window_title, contact->name ? contact->name : "");
    }
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (identity_changed_cb), self);
  g_signal_connect_swapped (self->organization_row, "changed", G_CALLBACK (identity_changed_cb), self);
  g_signal_connect_swapped (self->emails_row, "changed", G_CALLBACK (identity_changed_cb), self);
  g_signal_connect_swapped (self->phones_row, "changed", G_CALLBACK (identity_changed_cb), self);
  g_signal_connect_swapped (self->relationship_row, "notify::selected",
                            G_CALLBACK (relationship_changed_cb), self);
  g_signal_connect_swapped (self->cadence_spin, "value-changed", G_CALLBACK (cadence_changed_cb), self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  return self;
}
