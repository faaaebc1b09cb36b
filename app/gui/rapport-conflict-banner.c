/* rapport-conflict-banner.c: edits that did not make it, above a contact page */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-conflict-banner.h"
#include "rapport-conflicts.h"
#include "rapport-format.h"
#include "rapport-hlc.h"
#include "rapport-records.h"

/* Lines shown at most; the rest is counted. */
#define MAX_LINES 4
/* Fields named in one line at most. */
#define MAX_FIELDS 3

struct _RapportConflictBanner
{
  GtkWidget parent_instance;

  GtkLabel *text_label;
  GtkWidget *dismiss_button;

  RapportStore *store;
  char *contact_id;
  RapportContactPage *page;   /* followed, weak */
  gint64 last_id;             /* the newest conflict shown */
  guint n_conflicts;
  guint refresh_id;
};

G_DEFINE_FINAL_TYPE (RapportConflictBanner, rapport_conflict_banner, GTK_TYPE_WIDGET)

/* Field names --------------------------------------------------------------- */

static const struct
{
  const char *entity;   /* NULL: any */
  const char *field;
  const char *label;
} field_labels[] = {
  { "note", "body", N_("Text") },
  { "interaction", "body", N_("Details") },
  { "interaction", "occurred_at", N_("Time") },
  { "reminder", "title", N_("Title") },
  { "promise", "what", N_("What was promised") },
  { "promise", "status", N_("Status") },
  { NULL, "kind", N_("Kind") },
  { NULL, "name", N_("Name") },
  { NULL, "given_name", N_("Given name") },
  { NULL, "family_name", N_("Family name") },
  { NULL, "organization_id", N_("Organization") },
  { NULL, "organization", N_("Organization") },
  { NULL, "job_title", N_("Job title") },
  { NULL, "relationship", N_("Relationship") },
  { NULL, "stage", N_("Stage") },
  { NULL, "owner", N_("Owner") },
  { NULL, "tags", N_("Tags") },
  { NULL, "emails", N_("Email") },
  { NULL, "phones", N_("Phone") },
  { NULL, "addresses", N_("Address") },
  { NULL, "social", N_("Social profiles") },
  { NULL, "birthday", N_("Birthday") },
  { NULL, "source", N_("Source") },
  { NULL, "preferred_channel", N_("Preferred channel") },
  { NULL, "do_not_contact", N_("Do not contact") },
  { NULL, "marketing_consent", N_("Marketing consent") },
  { NULL, "cadence_days", N_("Keep-in-touch cadence") },
  { NULL, "created_by", N_("Created by") },
  { NULL, "contact_id", N_("Contact") },
  { NULL, "direction", N_("Direction") },
  { NULL, "channel", N_("Channel") },
  { NULL, "logged_by", N_("Logged by") },
  { NULL, "department", N_("Department") },
  { NULL, "summary", N_("Summary") },
  { NULL, "awaiting_response", N_("Awaiting response") },
  { NULL, "responded_at", N_("Responded") },
  { NULL, "responded_by", N_("Responded by") },
  { NULL, "resolved_at", N_("Resolved") },
  { NULL, "private", N_("Private") },
  { NULL, "pinned", N_("Pinned") },
  { NULL, "author", N_("Author") },
  { NULL, "due_at", N_("Due") },
  { NULL, "recurrence", N_("Repeat") },
  { NULL, "working_days", N_("Working days only") },
  { NULL, "snoozed_until", N_("Snoozed until") },
  { NULL, "done_at", N_("Done") },
  { NULL, "done_by", N_("Done by") },
  { NULL, "promised_by", N_("Promised by") },
  { NULL, "deliver_by_user", N_("Who delivers") },
  { NULL, "deliver_by_department", N_("Delivering department") },
  { NULL, "status_at", N_("Status date") },
  { NULL, "status_by", N_("Status set by") },
  { NULL, "deleted", N_("Deleted") },
};

static const char *
field_label (const char *entity, const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_labels); i++)
    if (g_strcmp0 (field_labels[i].field, field) == 0
        && (field_labels[i].entity == NULL || g_strcmp0 (field_labels[i].entity, entity) == 0))
      return _(field_labels[i].label);
  return field;
}

/* Records ------------------------------------------------------------------- */

static char *
excerpt (const char *text)
{
  g_autofree char *line = NULL;
  const char *end;

  if (text == NULL || *text == '\0')
    return NULL;
  end = strchr (text, '\n');
  line = end ? g_strndup (text, end - text) : g_strdup (text);
  if (g_utf8_strlen (line, -1) > 40)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, 39);
      return g_strconcat (cut, "…", NULL);
    }
  return g_steal_pointer (&line);
}

/* "the follow-up “Call back”", for a record on the contact's timeline. */
static char *
describe_record (RapportConflictBanner *self, const char *entity_name, const char *record_id)
{
  const RapportEntity *entity = rapport_entity_lookup (entity_name);
  g_autoptr (RapportRecord) record = NULL;
  g_autofree char *text = NULL;

  if (entity != NULL)
    record = rapport_store_load (self->store, entity, record_id, NULL);
  if (RAPPORT_IS_INTERACTION (record))
    text = excerpt (RAPPORT_INTERACTION (record)->summary);
  else if (RAPPORT_IS_NOTE (record))
    text = excerpt (RAPPORT_NOTE (record)->body);
  else if (RAPPORT_IS_REMINDER (record))
    text = excerpt (RAPPORT_REMINDER (record)->title);
  else if (RAPPORT_IS_PROMISE (record))
    text = excerpt (RAPPORT_PROMISE (record)->what);

  if (g_strcmp0 (entity_name, "interaction") == 0)
    return text ? g_strdup_printf (_("the interaction “%s”"), text) : g_strdup (_("an interaction"));
  if (g_strcmp0 (entity_name, "note") == 0)
    return text ? g_strdup_printf (_("the note “%s”"), text) : g_strdup (_("a note"));
  if (g_strcmp0 (entity_name, "reminder") == 0)
    return text ? g_strdup_printf (_("the follow-up “%s”"), text) : g_strdup (_("a follow-up"));
  if (g_strcmp0 (entity_name, "promise") == 0)
    return text ? g_strdup_printf (_("the promise “%s”"), text) : g_strdup (_("a promise"));
  return g_strdup (_("a record"));
}

/* Lines --------------------------------------------------------------------- */

/* The conflicts of one record with one reason, newest first. */
typedef struct
{
  RapportConflict *first;      /* the newest */
  GPtrArray *fields;           /* (element-type utf8) labels, no duplicates */
} Group;

static void
group_free (Group *group)
{
  g_ptr_array_unref (group->fields);
  g_free (group);
}

static GPtrArray *
group_conflicts (GPtrArray *conflicts)
{
  GPtrArray *groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);

  for (guint i = 0; i < conflicts->len; i++)
    {
      RapportConflict *c = conflicts->pdata[i];
      const char *label = field_label (c->entity, c->field);
      Group *group = NULL;

      for (guint g = 0; g < groups->len && group == NULL; g++)
        {
          Group *candidate = groups->pdata[g];
          if (g_strcmp0 (candidate->first->record_id, c->record_id) == 0
              && g_strcmp0 (candidate->first->reason, c->reason) == 0)
            group = candidate;
        }
      if (group == NULL)
        {
          group = g_new0 (Group, 1);
          group->first = c;
          group->fields = g_ptr_array_new ();
          g_ptr_array_add (groups, group);
        }
      if (!g_ptr_array_find_with_equal_func (group->fields, label, g_str_equal, NULL))
        g_ptr_array_add (group->fields, (gpointer) label);
    }
  return groups;
}

/* "Phone, Email and Tags" */
static char *
join_fields (GPtrArray *fields)
{
  g_autoptr (GString) text = g_string_new (NULL);
  guint n = MIN (fields->len, MAX_FIELDS);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0 && i == n - 1 && fields->len <= MAX_FIELDS)
        /* Translators: between the last two of a list of fields */
        g_string_append (text, _(" and "));
      else if (i > 0)
        g_string_append (text, _(", "));
      g_string_append (text, fields->pdata[i]);
    }
  if (fields->len > MAX_FIELDS)
    {
      guint more = fields->len - MAX_FIELDS;
      g_autofree char *tail = g_strdup_printf (ngettext (" and %u more field",
                                                         " and %u more fields", more), more);
      g_string_append (text, tail);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
group_line (RapportConflictBanner *self, Group *group)
{
  RapportConflict *c = group->first;
  gboolean on_contact = g_strcmp0 (c->record_id, self->contact_id) == 0;
  g_autofree char *fields = join_fields (group->fields);
  g_autofree char *record = on_contact ? NULL : describe_record (self, c->entity, c->record_id);
  g_autofree char *subject = NULL;

  if (g_strcmp0 (c->reason, RAPPORT_CONFLICT_DELETED) == 0)
    {
      if (on_contact)
        return g_strdup (_("This contact was deleted on another computer while you edited it; "
                           "your edit is kept in the Trash."));
      /* Translators: %s is e.g. "the note “Met at the fair”" */
      return g_strdup_printf (_("Deleted on another computer while you edited it: %s. Your edit "
                                "is kept in the Trash."), record);
    }
  /* Translators: "Due of the follow-up “Call back”" */
  subject = on_contact ? g_strdup (fields) : g_strdup_printf (_("%s of %s"), fields, record);
  if (g_str_has_prefix (c->reason, RAPPORT_CONFLICT_REFUSED_PREFIX))
    {
      g_autofree char *reason = g_strdup (c->reason + strlen (RAPPORT_CONFLICT_REFUSED_PREFIX));
      gsize len = strlen (g_strstrip (reason));

      if (len > 0 && reason[len - 1] == '.')
        reason[len - 1] = '\0';
      return g_strdup_printf (_("Refused by the server: %s. Your change of %s was not applied."),
                              *reason ? reason : _("no reason given"), subject);
    }
  if (c->winner_author != NULL)
    {
      g_autoptr (RapportUser) user = rapport_store_get_user (self->store, c->winner_author);
      const char *who = NULL;

      if (user != NULL)
        who = user->display_name && *user->display_name ? user->display_name : user->name;
      if (who != NULL && *who != '\0')
        /* Translators: "Ana Silva changed Phone after you; your change was replaced." */
        return g_strdup_printf (_("%s changed %s after you; your change was replaced."), who,
                                subject);
    }
  if (c->winner_stamp != NULL)
    {
      gint64 wall_ms = 0;
      guint counter = 0;
      char device[RAPPORT_DEVICE_ID_LEN + 1];

      if (rapport_stamp_parse (c->winner_stamp, &wall_ms, &counter, device) && wall_ms > 0)
        {
          g_autofree char *when = rapport_format_time (wall_ms / 1000,
                                                       rapport_store_now (self->store));
          /* Translators: the second %s is a time, as in "14:30" or "3 March" */
          return g_strdup_printf (_("Your change of %s was replaced by a newer one made on another "
                                    "computer (%s)."), subject, when);
        }
    }
  return g_strdup_printf (_("Your change of %s was replaced by a newer one made on another "
                            "computer."), subject);
}

static void
refresh (RapportConflictBanner *self)
{
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autoptr (GPtrArray) groups = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  guint shown;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->store != NULL && self->contact_id != NULL)
    conflicts = rapport_store_list_contact_conflicts (self->store, self->contact_id, &error);
  if (error != NULL)
    g_warning ("Could not read the changes that were not kept: %s", error->message);
  self->n_conflicts = conflicts ? conflicts->len : 0;
  self->last_id = self->n_conflicts > 0 ? ((RapportConflict *) conflicts->pdata[0])->id : 0;
  gtk_widget_set_visible (GTK_WIDGET (self), self->n_conflicts > 0);
  if (self->n_conflicts == 0)
    {
      gtk_label_set_text (self->text_label, "");
      return;
    }

  groups = group_conflicts (conflicts);
  shown = MIN (groups->len, MAX_LINES);
  for (guint i = 0; i < shown; i++)
    {
      g_autofree char *line = group_line (self, groups->pdata[i]);

      if (i > 0)
        g_string_append_c (text, '\n');
      /* One line per change when there are several. */
      if (groups->len > 1)
        g_string_append (text, "• ");
      g_string_append (text, line);
    }
  if (groups->len > shown)
    {
      guint more = groups->len - shown;
      g_string_append (text, "\n• ");
      g_string_append_printf (text, ngettext ("And %u more change that was not kept.",
                                              "And %u more changes that were not kept.", more),
                              more);
    }
  gtk_label_set_text (self->text_label, text->str);
}

static gboolean
refresh_cb (gpointer user_data)
{
  RapportConflictBanner *self = user_data;

  self->refresh_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

/* A pull records conflicts through the store: a burst of changes gives one
 * refresh. */
static void
store_changed_cb (RapportConflictBanner *self)
{
  if (self->contact_id != NULL && self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, refresh_cb, self, NULL);
}

static void
page_contact_cb (RapportConflictBanner *self, GParamSpec *pspec, RapportContactPage *page)
{
  RapportContact *contact = rapport_contact_page_get_contact (page);

  rapport_conflict_banner_set_contact_id (self, contact ? RAPPORT_RECORD (contact)->id : NULL);
}

static void
dismiss_action (GtkWidget *widget, const char *name, GVariant *param)
{
  rapport_conflict_banner_dismiss (RAPPORT_CONFLICT_BANNER (widget));
}

/* GObject ------------------------------------------------------------------- */

static void
rapport_conflict_banner_dispose (GObject *object)
{
  RapportConflictBanner *self = RAPPORT_CONFLICT_BANNER (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->page != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->page, self);
      g_object_remove_weak_pointer (G_OBJECT (self->page), (gpointer *) &self->page);
      self->page = NULL;
    }
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (object), RAPPORT_TYPE_CONFLICT_BANNER);
  rapport_widget_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (rapport_conflict_banner_parent_class)->dispose (object);
}

static void
rapport_conflict_banner_finalize (GObject *object)
{
  g_free (RAPPORT_CONFLICT_BANNER (object)->contact_id);
  G_OBJECT_CLASS (rapport_conflict_banner_parent_class)->finalize (object);
}

static void
rapport_conflict_banner_class_init (RapportConflictBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_conflict_banner_dispose;
  object_class->finalize = rapport_conflict_banner_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-conflict-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, RapportConflictBanner, text_label);
  gtk_widget_class_bind_template_child (widget_class, RapportConflictBanner, dismiss_button);
  gtk_widget_class_install_action (widget_class, "conflicts.dismiss", NULL, dismiss_action);
}

static void
rapport_conflict_banner_init (RapportConflictBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API ---------------------------------------------------------------- */

RapportConflictBanner *
rapport_conflict_banner_new (RapportStore *store)
{
  RapportConflictBanner *self;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);

  self = g_object_new (RAPPORT_TYPE_CONFLICT_BANNER, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_swapped (store, "changed", G_CALLBACK (store_changed_cb), self);
  return self;
}

void
rapport_conflict_banner_set_contact_id (RapportConflictBanner *self, const char *contact_id)
{
  g_return_if_fail (RAPPORT_IS_CONFLICT_BANNER (self));

  if (g_strcmp0 (contact_id, self->contact_id) != 0)
    {
      g_free (self->contact_id);
      self->contact_id = g_strdup (contact_id);
    }
  refresh (self);
}

void
rapport_conflict_banner_follow (RapportConflictBanner *self, RapportContactPage *page)
{
  g_return_if_fail (RAPPORT_IS_CONFLICT_BANNER (self));
  g_return_if_fail (RAPPORT_IS_CONTACT_PAGE (page));
  g_return_if_fail (self->page == NULL);

  self->page = page;
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &self->page);
  g_signal_connect_swapped (page, "notify::contact", G_CALLBACK (page_contact_cb), self);
  page_contact_cb (self, NULL, page);
}

guint
rapport_conflict_banner_get_n_conflicts (RapportConflictBanner *self)
{
  g_return_val_if_fail (RAPPORT_IS_CONFLICT_BANNER (self), 0);
  return self->n_conflicts;
}

const char *
rapport_conflict_banner_get_text (RapportConflictBanner *self)
{
  g_return_val_if_fail (RAPPORT_IS_CONFLICT_BANNER (self), NULL);
  return gtk_label_get_text (self->text_label);
}

/**
 * rapport_conflict_banner_dismiss:
 *
 * Marks what is shown as seen (a conflict recorded since stays) and hides
 * the banner.
 */
void
rapport_conflict_banner_dismiss (RapportConflictBanner *self)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (RAPPORT_IS_CONFLICT_BANNER (self));

  if (self->contact_id == NULL || self->n_conflicts == 0)
    return;
  if (!rapport_store_mark_contact_conflicts_seen (self->store, self->contact_id, self->last_id,
                                                  &error))
    g_warning ("Could not mark the changes as seen: %s", error->message);
  refresh (self);
}
