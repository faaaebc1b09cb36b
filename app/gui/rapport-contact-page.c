/* rapport-contact-page.c: one contact: who, how to reach, and the timeline */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rapport-contact-header.h"
#include "rapport-contact-page.h"
#include "rapport-format.h"
#include "rapport-reader.h"
#include "rapport-record-actions.h"
#include "rapport-timeline-row.h"
#include "rapport-window.h"

struct _RapportContactPage
{
  GtkWidget parent_instance;

  GtkListView *timeline_view;

  RapportStore *store;
  RapportContact *contact;
  char *contact_id;
  guint n_shown;
  /* Model stack of the page, built in init: GtkFlattenListModel over three
   * GListStores (the contact, shown as the header; the timeline records
   * shown so far; a "show older" marker while more remain) ->
   * GtkNoSelection -> GtkListView. The timeline is read whole (tens of
   * milliseconds for 10,000 entries) but shown a page at a time: GTK keeps
   * up to 200 rows of a list realized, and wrapped text is what costs. */
  GListStore *sections;
  GListStore *header_item;
  GListStore *records;           /* the shown part of the timeline */
  GListStore *more_item;
  GPtrArray *timeline;           /* the whole timeline, newest first */
  RapportContactHeader *header;
  GHashTable *users;             /* user id -> display name */
  guint reload_id;
  GCancellable *timeline_cancellable;   /* the timeline read on the worker */
  gboolean reading_other;        /* that read is for another contact than shown */
  guint grow_id;                 /* the rest of the first page, after the first paint */
};

enum
{
  PROP_0,
  PROP_CONTACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RapportContactPage, rapport_contact_page, GTK_TYPE_WIDGET)

/* Timeline entries shown at first, and added by "Show Older Entries". */
#define PAGE_SIZE 30
/* Of the first page, the entries painted with the contact (a screenful);
 * the rest follow right after: each entry is a few widgets of wrapped text
 * to make and measure. */
#define FIRST_PAINT 8

static void
toast (RapportContactPage *self, const char *text)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), RAPPORT_TYPE_WINDOW);

  if (window != NULL)
    rapport_window_add_toast (RAPPORT_WINDOW (window), adw_toast_new (text));
}

/* Loading ----------------------------------------------------------------- */

/* Shows the first n_shown records of the timeline (one splice: one
 * items-changed), and the "show older" marker when more remain. */
static void
show_records (RapportContactPage *self)
{
  guint total = self->timeline ? self->timeline->len : 0;
  guint n = MIN (total, self->n_shown);
  /* The marker waits until the first page is all there. */
  gboolean more = n < total && self->grow_id == 0;

  g_list_store_splice (self->records, 0, g_list_model_get_n_items (G_LIST_MODEL (self->records)),
                       self->timeline ? self->timeline->pdata : NULL, n);
  if (more != (g_list_model_get_n_items (G_LIST_MODEL (self->more_item)) > 0))
    {
      if (more)
        {
          g_autoptr (GtkStringObject) marker = gtk_string_object_new ("more");
          g_list_store_append (self->more_item, marker);
        }
      else
        g_list_store_remove_all (self->more_item);
    }
  else if (more)
    g_list_model_items_changed (G_LIST_MODEL (self->more_item), 0, 1, 1);
}

/* Adds the rest of the first page to what was painted. */
static gboolean
grow_cb (gpointer user_data)
{
  RapportContactPage *self = user_data;

  /* The entries already shown keep their rows (the same items). */
  self->grow_id = 0;
  self->n_shown = MAX (self->n_shown, PAGE_SIZE);
  show_records (self);
  return G_SOURCE_REMOVE;
}

/* Shows @contact's header and @timeline (read on the worker). */
static void
show_timeline (RapportContactPage *self, RapportContact *contact, GPtrArray *timeline,
               gboolean changed)
{
  RapportInteraction *last = NULL;

  for (guint i = 0; timeline && i < timeline->len; i++)
    if (RAPPORT_IS_INTERACTION (timeline->pdata[i]))
      {
        last = timeline->pdata[i];
        break;
      }
  g_hash_table_remove_all (self->users);
  rapport_contact_header_set (self->header, self->store, self->users, contact, last,
                              timeline ? timeline->len : 0);

  g_clear_handle_id (&self->grow_id, g_source_remove);
  if (changed || self->timeline == NULL)
    {
      self->n_shown = FIRST_PAINT;
      self->grow_id = g_idle_add_full (G_PRIORITY_LOW, grow_cb, self, NULL);
      g_source_set_name_by_id (self->grow_id, "[rapport] timeline page");
    }
  else
    self->n_shown = MAX (self->n_shown, PAGE_SIZE);
  g_clear_pointer (&self->timeline, g_ptr_array_unref);
  self->timeline = timeline ? g_ptr_array_ref (timeline) : NULL;
  if (g_list_model_get_n_items (G_LIST_MODEL (self->header_item)) == 0)
    g_list_store_append (self->header_item, contact);
  else
    g_list_store_splice (self->header_item, 0, 1, (gpointer *) &contact, 1);
  show_records (self);
  if (changed)
    gtk_widget_activate_action (GTK_WIDGET (self->timeline_view), "list.scroll-to-item", "u", 0);
}

static gpointer
timeline_thread (RapportStore *reader, gpointer data, GCancellable *cancellable, GError **error)
{
  return rapport_store_timeline (reader, data, error);
}

typedef struct
{
  RapportContactPage *self;     /* a reference */
  RapportContact *contact;      /* the contact the timeline is of */
  gboolean changed;             /* another contact than the one shown before */
} TimelineRead;

static void
timeline_read_free (TimelineRead *read)
{
  g_object_unref (read->self);
  g_object_unref (read->contact);
  g_free (read);
}

static void
timeline_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TimelineRead *read = user_data;
  RapportContactPage *self = read->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) timeline = rapport_reader_run_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->store == NULL)
    {
      timeline_read_free (read);
      return;
    }
  g_clear_object (&self->timeline_cancellable);
  if (error != NULL && !g_error_matches (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND))
    toast (self, error->message);
  show_timeline (self, read->contact, timeline, read->changed);
  timeline_read_free (read);
}

/* Reads the contact, then its timeline on the reader's worker thread (tens
 * of milliseconds for 10,000 entries, off the main loop): a page that
 * shows another contact is empty until both are there, painted at once. */
static void
load (RapportContactPage *self)
{
  g_autoptr (RapportContact) contact = NULL;
  g_autoptr (GError) error = NULL;
  TimelineRead *read;
  gboolean changed;

  if (self->contact_id != NULL && self->store != NULL)
    contact = rapport_store_get_contact (self->store, self->contact_id, &error);
  if (error != NULL && !g_error_matches (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND))
    toast (self, error->message);

  changed = (contact == NULL) != (self->contact == NULL)
            || (contact && self->contact
                && g_strcmp0 (RAPPORT_RECORD (contact)->id, RAPPORT_RECORD (self->contact)->id));
  g_set_object (&self->contact, contact);
  /* A read still running was for another contact, or is out of date. */
  if (self->timeline_cancellable != NULL)
    {
      changed = changed || self->reading_other;
      g_cancellable_cancel (self->timeline_cancellable);
      g_clear_object (&self->timeline_cancellable);
    }

  if (contact == NULL || changed)
    {
      g_clear_handle_id (&self->grow_id, g_source_remove);
      g_list_store_remove_all (self->header_item);
      g_list_store_remove_all (self->records);
      g_list_store_remove_all (self->more_item);
      g_clear_pointer (&self->timeline, g_ptr_array_unref);
    }
  if (contact != NULL)
    {
      read = g_new0 (TimelineRead, 1);
      read->self = g_object_ref (self);
      read->contact = g_object_ref (contact);
      read->changed = changed;
      self->reading_other = changed;
      self->timeline_cancellable = g_cancellable_new ();
      rapport_reader_run_async (self->store, timeline_thread, g_strdup (self->contact_id), g_free,
                                (GDestroyNotify) g_ptr_array_unref, self->timeline_cancellable,
                                timeline_read_cb, read);
    }
  /* Contact fields may have changed even when the id did not. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTACT]);
}

static gboolean
reload_cb (gpointer user_data)
{
  RapportContactPage *self = user_data;

  self->reload_id = 0;
  load (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (RapportContactPage *self, const char *entity, const char *id,
                  RapportStore *store)
{
  if (self->contact_id == NULL || self->reload_id != 0)
    return;
  if (g_strcmp0 (entity, "contact") == 0 && id != NULL && g_strcmp0 (id, self->contact_id) != 0)
    return;
  /* Coalesce a burst of changes (a sync page, a save with a reminder). */
  self->reload_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reload_cb, self, NULL);
}

/* The list ---------------------------------------------------------------- */

static void
item_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  gtk_list_item_set_child (item, adw_bin_new ());
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
item_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  RapportContactPage *self = user_data;
  AdwBin *bin = ADW_BIN (gtk_list_item_get_child (item));
  gpointer record = gtk_list_item_get_item (item);
  GtkWidget *child = adw_bin_get_child (bin);

  if (RAPPORT_IS_CONTACT (record))
    {
      GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self->header));

      if (parent != NULL && parent != GTK_WIDGET (bin))
        adw_bin_set_child (ADW_BIN (parent), NULL);
      if (child != GTK_WIDGET (self->header))
        adw_bin_set_child (bin, GTK_WIDGET (self->header));
      return;
    }
  if (GTK_IS_STRING_OBJECT (record))
    {
      guint rest = self->timeline ? self->timeline->len - MIN (self->timeline->len, self->n_shown) : 0;
      g_autofree char *label = g_strdup_printf (ngettext ("Show Older Entries (%'u more)",
                                                          "Show Older Entries (%'u more)", rest),
                                                rest);
      if (!GTK_IS_BUTTON (child))
        {
          child = gtk_button_new ();
          gtk_widget_set_halign (child, GTK_ALIGN_CENTER);
          gtk_widget_set_margin_top (child, 12);
          gtk_widget_set_margin_bottom (child, 24);
          gtk_widget_add_css_class (child, "pill");
          gtk_actionable_set_action_name (GTK_ACTIONABLE (child), "contact.show-older");
          adw_bin_set_child (bin, child);
        }
      gtk_button_set_label (GTK_BUTTON (child), label);
      return;
    }
  if (!RAPPORT_IS_TIMELINE_ROW (child))
    {
      child = GTK_WIDGET (rapport_timeline_row_new ());
      adw_bin_set_child (bin, child);
    }
  rapport_timeline_row_set_record (RAPPORT_TIMELINE_ROW (child), self->store, self->users, record);
}

static void
item_unbind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  RapportContactPage *self = user_data;
  AdwBin *bin = ADW_BIN (gtk_list_item_get_child (item));

  if (adw_bin_get_child (bin) == GTK_WIDGET (self->header))
    adw_bin_set_child (bin, NULL);
}

/* Actions ----------------------------------------------------------------- */

static void
run_record_action (RapportContactPage *self, gboolean ok, GError *error, const char *done)
{
  if (!ok)
    toast (self, error ? error->message : _("That did not work"));
  else if (done != NULL)
    toast (self, done);
}

static void
record_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportContactPage *self = RAPPORT_CONTACT_PAGE (widget);
  const char *id = g_variant_get_string (param, NULL);
  g_autoptr (GError) error = NULL;
  gboolean ok = FALSE;
  const char *done = NULL;

  if (g_str_equal (name, "contact.promise-kept"))
    ok = rapport_action_promise_status (self->store, id, "kept", &error), done = _("Promise kept");
  else if (g_str_equal (name, "contact.promise-broken"))
    ok = rapport_action_promise_status (self->store, id, "broken", &error),
    done = _("Promise marked as broken");
  else if (g_str_equal (name, "contact.complaint-responded"))
    ok = rapport_action_complaint_responded (self->store, id, &error),
    done = _("Marked as responded");
  else if (g_str_equal (name, "contact.complaint-resolved"))
    ok = rapport_action_complaint_resolved (self->store, id, &error),
    done = _("Marked as resolved");
  else if (g_str_equal (name, "contact.reminder-done"))
    ok = rapport_action_reminder_done (self->store, id, &error), done = _("Follow-up done");
  else if (g_str_equal (name, "contact.reminder-snooze"))
    ok = rapport_action_reminder_snooze (self->store, id, &error),
    done = _("Snoozed until tomorrow");
  else if (g_str_equal (name, "contact.note-toggle-pin"))
    ok = rapport_action_note_toggle_pin (self->store, id, &error);
  run_record_action (self, ok, error, done);
}

static void
show_older_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportContactPage *self = RAPPORT_CONTACT_PAGE (widget);

  self->n_shown += PAGE_SIZE;
  show_records (self);
}

static void
copied_action (GtkWidget *widget, const char *name, GVariant *param)
{
  toast (RAPPORT_CONTACT_PAGE (widget), _("Copied to the clipboard"));
}

/* GObject ------------------------------------------------------------------ */

static void
rapport_contact_page_dispose (GObject *object)
{
  RapportContactPage *self = RAPPORT_CONTACT_PAGE (object);

  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_handle_id (&self->grow_id, g_source_remove);
  if (self->timeline_cancellable != NULL)
    g_cancellable_cancel (self->timeline_cancellable);
  g_clear_object (&self->timeline_cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->timeline_view != NULL)
    gtk_list_view_set_model (self->timeline_view, NULL);
  g_clear_object (&self->sections);
  g_clear_object (&self->header_item);
  g_clear_object (&self->records);
  g_clear_object (&self->more_item);
  g_clear_pointer (&self->timeline, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), RAPPORT_TYPE_CONTACT_PAGE);
  rapport_widget_unparent_children (GTK_WIDGET (self));
  if (self->header != NULL)
    {
      GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self->header));
      if (parent != NULL)
        adw_bin_set_child (ADW_BIN (parent), NULL);
      g_clear_object (&self->header);
    }
  G_OBJECT_CLASS (rapport_contact_page_parent_class)->dispose (object);
}

static void
rapport_contact_page_finalize (GObject *object)
{
  RapportContactPage *self = RAPPORT_CONTACT_PAGE (object);

  g_clear_object (&self->contact);
  g_clear_object (&self->store);
  g_clear_pointer (&self->users, g_hash_table_unref);
  g_free (self->contact_id);
  G_OBJECT_CLASS (rapport_contact_page_parent_class)->finalize (object);
}

static void
rapport_contact_page_get_property (GObject *object, guint prop_id, GValue *value,
                                   GParamSpec *pspec)
{
  RapportContactPage *self = RAPPORT_CONTACT_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTACT:
      g_value_set_object (value, self->contact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rapport_contact_page_class_init (RapportContactPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *const record_actions[] = {
    "contact.promise-kept", "contact.promise-broken", "contact.complaint-responded",
    "contact.complaint-resolved", "contact.reminder-done", "contact.reminder-snooze",
    "contact.note-toggle-pin",
  };

  object_class->dispose = rapport_contact_page_dispose;
  object_class->finalize = rapport_contact_page_finalize;
  object_class->get_property = rapport_contact_page_get_property;

  properties[PROP_CONTACT] =
    g_param_spec_object ("contact", NULL, NULL, RAPPORT_TYPE_CONTACT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-contact-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RapportContactPage, timeline_view);

  for (guint i = 0; i < G_N_ELEMENTS (record_actions); i++)
    gtk_widget_class_install_action (widget_class, record_actions[i], "s", record_action);
  gtk_widget_class_install_action (widget_class, "contact.copied", NULL, copied_action);
  gtk_widget_class_install_action (widget_class, "contact.show-older", NULL, show_older_action);
}

static void
rapport_contact_page_init (RapportContactPage *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->users = rapport_user_cache_new ();
  self->header = g_object_ref_sink (rapport_contact_header_new ());
  self->header_item = g_list_store_new (RAPPORT_TYPE_CONTACT);
  self->records = g_list_store_new (RAPPORT_TYPE_RECORD);
  self->more_item = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  self->sections = g_list_store_new (G_TYPE_LIST_MODEL);
  g_list_store_append (self->sections, self->header_item);
  g_list_store_append (self->sections, self->records);
  g_list_store_append (self->sections, self->more_item);
  g_signal_connect (factory, "setup", G_CALLBACK (item_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (item_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (item_unbind_cb), self);
  gtk_list_view_set_factory (self->timeline_view, factory);
  g_object_unref (factory);
  selection = gtk_no_selection_new (G_LIST_MODEL (gtk_flatten_list_model_new (
      g_object_ref (G_LIST_MODEL (self->sections)))));
  gtk_list_view_set_model (self->timeline_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
}

/* Public API ---------------------------------------------------------------- */

void
rapport_contact_page_set_store (RapportContactPage *self, RapportStore *store)
{
  g_return_if_fail (RAPPORT_IS_CONTACT_PAGE (self));
  g_return_if_fail (RAPPORT_IS_STORE (store));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  g_signal_connect_swapped (store, "changed", G_CALLBACK (store_changed_cb), self);
}

void
rapport_contact_page_show (RapportContactPage *self, const char *contact_id)
{
  g_return_if_fail (RAPPORT_IS_CONTACT_PAGE (self));

  g_free (self->contact_id);
  self->contact_id = g_strdup (contact_id);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  load (self);
}

RapportContact *
rapport_contact_page_get_contact (RapportContactPage *self)
{
  g_return_val_if_fail (RAPPORT_IS_CONTACT_PAGE (self), NULL);
  return self->contact;
}

GListModel *
rapport_contact_page_get_timeline (RapportContactPage *self)
{
  g_return_val_if_fail (RAPPORT_IS_CONTACT_PAGE (self), NULL);
  return G_LIST_MODEL (self->records);
}
