/* rapport-contact-header.c: who a contact is and how to reach them */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rapport-application.h"
#include "rapport-contact-header.h"
#include "rapport-format.h"

struct _RapportContactHeader
{
  GtkWidget parent_instance;

  AdwAvatar *avatar;
  GtkLabel *name_label;
  GtkLabel *role_label;
  GtkLabel *facts_label;
  GtkFlowBox *tags_box;
  GtkWidget *do_not_contact_box;
  GtkWidget *deleted_box;
  GtkListBox *reach_list;
  AdwActionRow *last_contact_row;
  AdwActionRow *cadence_row;
  AdwActionRow *consent_row;
  GtkLabel *timeline_heading;
  GtkWidget *timeline_empty;
};

G_DEFINE_FINAL_TYPE (RapportContactHeader, rapport_contact_header, GTK_TYPE_WIDGET)

static void
copy_clicked_cb (GtkButton *button, gpointer user_data)
{
  const char *text = g_object_get_data (G_OBJECT (button), "address");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), text);
  gtk_widget_activate_action (GTK_WIDGET (button), "contact.copied", NULL);
}

static void
open_clicked_cb (GtkButton *button, gpointer user_data)
{
  const char *uri = g_object_get_data (G_OBJECT (button), "uri");

  rapport_application_show_uri (GTK_WIDGET (button), uri);
}

static GtkWidget *
make_reach_row (const char *channel, const char *address, const char *label, gboolean preferred,
                gboolean do_not_contact)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  GtkWidget *open;
  g_autofree char *subtitle = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *copy_label = NULL;
  g_autofree char *open_label = NULL;
  gboolean phone = g_strcmp0 (channel, "phone") == 0 || g_strcmp0 (channel, "sms") == 0;
  const char *kind = rapport_choice_label (RAPPORT_CHOICE_CHANNEL, channel);

  if (preferred)
    /* Translators: a channel, e.g. "Email · preferred" */
    subtitle = g_strdup_printf (_("%s · preferred"), kind);
  else if (label != NULL && *label != '\0')
    subtitle = g_strdup_printf ("%s · %s", kind, label);
  else
    subtitle = g_strdup (kind);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), address);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_add_css_class (row, "property");

  /* Translators: %s is an email address or phone number */
  copy_label = g_strdup_printf (_("Copy %s"), address);
  gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (copy, "flat");
  gtk_widget_set_tooltip_text (copy, _("Copy"));
  rapport_set_accessible_label (copy, copy_label);
  g_object_set_data_full (G_OBJECT (copy), "address", g_strdup (address), g_free);
  g_signal_connect (copy, "clicked", G_CALLBACK (copy_clicked_cb), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy);

  if (phone)
    {
      g_autofree char *escaped = g_uri_escape_string (address, "+", FALSE);
      uri = g_strconcat (g_strcmp0 (channel, "sms") == 0 ? "sms:" : "tel:", escaped, NULL);
      open = gtk_button_new_from_icon_name ("call-start-symbolic");
      /* Translators: %s is a phone number */
      open_label = g_strdup_printf (_("Call %s"), address);
    }
  else
    {
      g_autofree char *escaped = g_uri_escape_string (address, "@+", FALSE);
      uri = g_strconcat ("mailto:", escaped, NULL);
      open = gtk_button_new_from_icon_name ("mail-send-symbolic");
      /* Translators: %s is an email address */
      open_label = g_strdup_printf (_("Write to %s"), address);
    }
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (open, "flat");
  gtk_widget_set_tooltip_text (open, open_label);
  rapport_set_accessible_label (open, open_label);
  gtk_widget_set_sensitive (open, !do_not_contact);
  g_object_set_data_full (G_OBJECT (open), "uri", g_steal_pointer (&uri), g_free);
  g_signal_connect (open, "clicked", G_CALLBACK (open_clicked_cb), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
  return row;
}

static void
add_addresses (RapportContactHeader *self, JsonArray *array, const char *channel,
               const char *skip, gboolean do_not_contact)
{
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      const char *value = o ? json_object_get_string_member_with_default (o, "value", NULL) : NULL;
      const char *label = o ? json_object_get_string_member_with_default (o, "label", NULL) : NULL;

      if (value == NULL || *value == '\0' || g_strcmp0 (value, skip) == 0)
        continue;
      gtk_list_box_append (self->reach_list,
                           make_reach_row (channel, value, label, FALSE, do_not_contact));
    }
}

static void
fill_reach (RapportContactHeader *self, RapportContact *contact)
{
  const char *channel = NULL;
  const char *address = rapport_contact_get_channel_address (contact, &channel);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->reach_list))) != NULL)
    gtk_list_box_remove (self->reach_list, child);

  /* The preferred channel first, then every other address. */
  if (address != NULL)
    gtk_list_box_append (self->reach_list,
                         make_reach_row (channel, address, NULL,
                                         contact->preferred_channel != NULL,
                                         contact->do_not_contact));
  add_addresses (self, contact->emails, "email", address, contact->do_not_contact);
  add_addresses (self, contact->phones, "phone", address, contact->do_not_contact);
  gtk_widget_set_visible (GTK_WIDGET (self->reach_list), address != NULL);
}

static void
fill_tags (RapportContactHeader *self, RapportContact *contact)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_box))) != NULL)
    gtk_flow_box_remove (self->tags_box, child);
  for (char **t = contact->tags; t && *t; t++)
    {
      GtkWidget *label = gtk_label_new (*t);
      gtk_widget_add_css_class (label, "tag");
      gtk_flow_box_append (self->tags_box, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->tags_box), contact->tags && contact->tags[0]);
}

static void
fill_last_contact (RapportContactHeader *self, RapportStore *store, GHashTable *users,
                   RapportInteraction *last)
{
  gint64 now = rapport_store_now (store);
  g_autofree char *text = NULL;

  if (last == NULL)
    text = g_strdup (_("Nobody has logged an interaction yet"));
  else
    {
      g_autofree char *when = rapport_format_relative_day (last->occurred_at, now);
      g_autofree char *date = rapport_format_time (last->occurred_at, now);
      const char *who = rapport_user_cache_lookup (users, store, last->logged_by);
      const char *how = rapport_choice_label (RAPPORT_CHOICE_INTERACTION_KIND, last->kind);

      /* Translators: "3 days ago (2 March) by Ana: Call, outbound" */
      text = g_strdup_printf (_("%s (%s) by %s: %s, %s"), when, date, who ? who : _("someone"),
                              how, rapport_choice_label (RAPPORT_CHOICE_DIRECTION, last->direction));
    }
  adw_action_row_set_subtitle (self->last_contact_row, text);
}

static void
fill_cadence (RapportContactHeader *self, RapportStore *store, RapportContact *contact)
{
  gint64 now = rapport_store_now (store);
  g_autofree char *text = NULL;

  if (contact->cadence_days <= 0)
    text = g_strdup (_("No keep-in-touch cadence"));
  else
    {
      gint64 base = contact->last_interaction_at ? contact->last_interaction_at
                                                 : RAPPORT_RECORD (contact)->created_at;
      gint64 next = base + contact->cadence_days * 24 * 60 * 60;
      g_autofree char *when = rapport_format_relative_day (next, now);
      g_autofree char *every = g_strdup_printf (ngettext ("Every %d day", "Every %d days",
                                                          (int) contact->cadence_days),
                                                (int) contact->cadence_days);

      if (next <= now)
        /* Translators: "Every 30 days · overdue since 3 days ago" */
        text = g_strdup_printf (_("%s · overdue, was due %s"), every, when);
      else
        text = g_strdup_printf (_("%s · next touch due %s"), every, when);
    }
  adw_action_row_set_subtitle (self->cadence_row, text);
}

static void
rapport_contact_header_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RAPPORT_TYPE_CONTACT_HEADER);
  rapport_widget_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (rapport_contact_header_parent_class)->dispose (object);
}

static void
rapport_contact_header_class_init (RapportContactHeaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_contact_header_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-contact-header.ui");
  gtk_widget_class_bind_template_child (widget_class, RapportContactHeader, avatar);
  gtk_widget_class_bind_template_child (widget_class, RapportContactHeader, name_label);
  gtk_widget_class_bind_template_child (widget_class, RapportContactHeader, role_label);
  gtk_widget_class_bind_template_child (widget_class, RapportContactHeader, facts_label);
  gtk_widget_class_bind_template_child (widget_class, RapportContactHeader, tags_box);
  gtk_widget_class_bind_template_child (widget_class, RapportContactHeader, do_not_contact_box);
  gtk_widget_class_bind_template_child (widget_class, RapportContactHeader, deleted_box);
  gtk_widget_class_bind_template_child (widget_class, RapportContactHeader, reach_list);
  gtk_widget_class_bind_template_child (widget_class, RapportContactHeader, last_contact_row);
  gtk_widget_class_bind_template_child (widget_class, RapportContactHeader, cadence_row);
  gtk_widget_class_bind_template_child (widget_class, RapportContactHeader, consent_row);
  gtk_widget_class_bind_template_child (widget_class, RapportContactHeader, timeline_heading);
  gtk_widget_class_bind_template_child (widget_class, RapportContactHeader, timeline_empty);
}

static void
rapport_contact_header_init (RapportContactHeader *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

RapportContactHeader *
rapport_contact_header_new (void)
{
  return g_object_new (RAPPORT_TYPE_CONTACT_HEADER, NULL);
}

void
rapport_contact_header_set (RapportContactHeader *self, RapportStore *store, GHashTable *users,
                            RapportContact *contact, RapportInteraction *last_interaction,
                            guint n_entries)
{
  g_autoptr (GString) role = g_string_new (NULL);
  g_autoptr (GString) facts = g_string_new (NULL);
  const char *name;
  const char *owner;

  g_return_if_fail (RAPPORT_IS_CONTACT_HEADER (self));
  g_return_if_fail (RAPPORT_IS_CONTACT (contact));

  name = contact->name && *contact->name ? contact->name : _("Unnamed contact");
  adw_avatar_set_text (self->avatar, name);
  gtk_label_set_text (self->name_label, name);

  if (contact->job_title && *contact->job_title)
    g_string_append (role, contact->job_title);
  if (contact->organization && *contact->organization
      && g_strcmp0 (contact->kind, "organization") != 0)
    {
      if (role->len > 0)
        /* Translators: separates a job title from an organization */
        g_string_append (role, _(" at "));
      g_string_append (role, contact->organization);
    }
  gtk_label_set_text (self->role_label, role->str);
  gtk_widget_set_visible (GTK_WIDGET (self->role_label), role->len > 0);

  g_string_append (facts, rapport_choice_label (RAPPORT_CHOICE_CONTACT_KIND,
                                                contact->kind ? contact->kind : "person"));
  if (contact->relationship)
    g_string_append_printf (facts, " · %s",
                            rapport_choice_label (RAPPORT_CHOICE_RELATIONSHIP,
                                                  contact->relationship));
  if (contact->stage && *contact->stage)
    g_string_append_printf (facts, " · %s", contact->stage);
  owner = rapport_user_cache_lookup (users, store, contact->owner);
  if (owner != NULL)
    /* Translators: who owns the relationship, after the kind and relationship */
    g_string_append_printf (facts, _(" · owned by %s"), owner);
  gtk_label_set_text (self->facts_label, facts->str);

  fill_tags (self, contact);
  gtk_widget_set_visible (self->do_not_contact_box, contact->do_not_contact);
  gtk_widget_set_visible (self->deleted_box, RAPPORT_RECORD (contact)->deleted);
  fill_reach (self, contact);
  fill_last_contact (self, store, users, last_interaction);
  fill_cadence (self, store, contact);
  adw_action_row_set_subtitle (self->consent_row, contact->marketing_consent
                                                    ? _("May receive marketing")
                                                    : _("No marketing consent"));
  gtk_widget_set_visible (self->timeline_empty, n_entries == 0);
}
