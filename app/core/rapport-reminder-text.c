/* rapport-reminder-text.c: the words of one reminder notification */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-reminders"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-reminders.h"
#include "rapport-store-private.h"

static const char *
interaction_kind_label (const char *kind)
{
  static const struct
  {
    const char *kind;
    const char *label;
  } labels[] = {
    { "call", N_("call") },         { "email", N_("email") },
    { "meeting", N_("meeting") },   { "message", N_("message") },
    { "social", N_("social media") }, { "visit", N_("visit") },
    { "delivery", N_("delivery") }, { "support", N_("support") },
    { "complaint", N_("complaint") }, { "feedback", N_("feedback") },
  };

  for (guint i = 0; kind != NULL && i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (kind, labels[i].kind))
      return _(labels[i].label);
  return _("interaction");
}

static const char *
channel_label (const char *channel)
{
  static const struct
  {
    const char *channel;
    const char *label;
  } labels[] = {
    { "email", N_("email") },   { "phone", N_("phone") },
    { "sms", N_("SMS") },       { "meeting", N_("a meeting") },
    { "video", N_("video call") }, { "social", N_("social media") },
    { "mail", N_("post") },     { "in-person", N_("in person") },
  };

  for (guint i = 0; channel != NULL && i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (channel, labels[i].channel))
      return _(labels[i].label);
  return NULL;
}

static int
days_between (gint64 earlier, gint64 later)
{
  g_autoptr (GDateTime) a = g_date_time_new_from_unix_local (earlier);
  g_autoptr (GDateTime) b = g_date_time_new_from_unix_local (later);
  g_autoptr (GDate) da = g_date_new_dmy (g_date_time_get_day_of_month (a),
                                         g_date_time_get_month (a), g_date_time_get_year (a));
  g_autoptr (GDate) db = g_date_new_dmy (g_date_time_get_day_of_month (b),
                                         g_date_time_get_month (b), g_date_time_get_year (b));

  return g_date_days_between (da, db);
}

/* "today at 14:30", "yesterday", "3 days ago", "2 Mar 2025". */
static char *
format_when (gint64 t, gint64 now)
{
  g_autoptr (GDateTime) local = g_date_time_new_from_unix_local (t);
  int days = days_between (t, now);

  if (days <= 0)
    /* Translators: a time of day as in strftime */
    return g_date_time_format (local, _("today at %H:%M"));
  if (days == 1)
    return g_strdup (_("yesterday"));
  if (days < 14)
    return g_strdup_printf (ngettext ("%d day ago", "%d days ago", days), days);
  /* Translators: a date as in strftime */
  return g_date_time_format (local, _("%-d %b %Y"));
}

static char *
user_name (RapportStore *store, const char *user_id)
{
  g_autoptr (RapportUser) user = NULL;

  if (user_id == NULL)
    return NULL;
  if (g_strcmp0 (user_id, rapport_store_get_me_id (store)) == 0)
    return g_strdup (_("you"));
  user = rapport_store_get_user (store, user_id);
  if (user == NULL)
    return NULL;
  return g_strdup (user->display_name && *user->display_name ? user->display_name : user->name);
}

static RapportInteraction *
last_interaction (RapportStore *store, const char *contact_id)
{
  const RapportEntity *entity = rapport_entity_lookup ("interaction");
  g_autofree char *columns = rapport_store_select_columns (entity, NULL);
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM interactions WHERE contact_id = ? "
                                          "AND deleted = 0 ORDER BY occurred_at DESC LIMIT 1",
                                          columns);
  sqlite3_stmt *stmt = rapport_store_prepare (store, sql, NULL);
  RapportInteraction *found = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, contact_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    found = (RapportInteraction *) rapport_store_record_from_row (entity, stmt, 0);
  sqlite3_reset (stmt);
  return found;
}

/* "Last contact: 3 days ago, call by Ada: “Discussed the renewal”". */
static void
append_last_interaction (GString *body, RapportStore *store, const char *contact_id, gint64 now)
{
  g_autoptr (RapportInteraction) last = last_interaction (store, contact_id);
  g_autofree char *when = NULL;
  g_autofree char *who = NULL;
  const char *kind;

  if (last == NULL)
    {
      g_string_append (body, _("No interaction logged yet"));
      return;
    }
  when = format_when (last->occurred_at, now);
  who = user_name (store, last->logged_by);
  kind = interaction_kind_label (last->kind);
  if (last->summary == NULL || *last->summary == '\0')
    {
      if (who == NULL)
        g_string_append_printf (body, _("Last contact: %s, %s"), when, kind);
      else
        /* Translators: when, kind of interaction, who logged it */
        g_string_append_printf (body, _("Last contact: %s, %s by %s"), when, kind, who);
    }
  else if (who == NULL)
    /* Translators: when, kind of interaction, its summary */
    g_string_append_printf (body, _("Last contact: %s, %s: “%s”"), when, kind, last->summary);
  else
    /* Translators: when, kind of interaction, who logged it, its summary */
    g_string_append_printf (body, _("Last contact: %s, %s by %s: “%s”"), when, kind, who,
                            last->summary);
}

/* "Preferred: phone +44 20 7946 0018". */
static void
append_channel (GString *body, RapportContact *contact)
{
  const char *channel = NULL;
  const char *address;
  const char *label;

  g_string_append_c (body, '\n');
  if (contact->do_not_contact)
    {
      g_string_append (body, _("Marked “do not contact”"));
      return;
    }
  address = rapport_contact_get_channel_address (contact, &channel);
  if (contact->preferred_channel != NULL && address != NULL
      && g_strcmp0 (channel, contact->preferred_channel) != 0)
    {
      /* The preferred channel has no address of its own (a meeting). */
      channel = contact->preferred_channel;
      address = NULL;
    }
  label = channel_label (channel ? channel : contact->preferred_channel);
  if (label != NULL && address != NULL)
    /* Translators: channel, then its address or number */
    g_string_append_printf (body, _("Preferred: %s %s"), label, address);
  else if (label != NULL)
    g_string_append_printf (body, _("Preferred: %s"), label);
  else
    g_string_append (body, _("No email address or phone number on file"));
}

static char *
item_title (const RapportDueItem *item, RapportContact *contact)
{
  const char *name = contact ? contact->name : item->contact_name;
  const char *what = item->title;

  if (name == NULL || *name == '\0')
    name = _("a contact");
  switch (item->kind)
    {
    case RAPPORT_DUE_CADENCE:
      return g_strdup_printf (_("Keep in touch with %s"), name);
    case RAPPORT_DUE_PROMISE:
      /* Translators: contact name, then what was promised */
      return g_strdup_printf (_("Promise to %s due: %s"), name, what ? what : "");
    case RAPPORT_DUE_COMPLAINT:
      if (item->urgent)
        return g_strdup_printf (_("%s is still waiting for a response: %s"), name,
                                what ? what : "");
      return g_strdup_printf (_("%s awaits a response: %s"), name, what ? what : "");
    case RAPPORT_DUE_REMINDER:
    default:
      if (what == NULL || *what == '\0')
        return g_strdup_printf (_("Follow up with %s"), name);
      /* Translators: contact name, then the reminder's title */
      return g_strdup_printf (_("Follow up with %s: %s"), name, what);
    }
}

/**
 * rapport_notice_new_for_item:
 * @now: the time "3 days ago" counts from
 *
 * Returns: (transfer full): the notification for @item.
 */
RapportNotice *
rapport_notice_new_for_item (RapportStore *store, const RapportDueItem *item, gint64 now)
{
  g_autoptr (RapportContact) contact = NULL;
  RapportNotice *notice;
  GString *body = g_string_new (NULL);

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (item != NULL, NULL);

  if (item->contact_id != NULL)
    contact = rapport_store_get_contact (store, item->contact_id, NULL);

  notice = g_new0 (RapportNotice, 1);
  notice->count = 1;
  notice->item = rapport_due_item_copy (item);
  notice->contact_id = g_strdup (item->contact_id);
  /* Critical notifications stay on screen: for what cannot wait. */
  notice->urgent = item->urgent && (item->kind == RAPPORT_DUE_COMPLAINT
                                    || item->kind == RAPPORT_DUE_PROMISE);
  notice->title = item_title (item, contact);
  if (item->kind == RAPPORT_DUE_CADENCE && item->title != NULL)
    g_string_append_printf (body, "%s\n", item->title);
  if (contact != NULL)
    {
      append_last_interaction (body, store, item->contact_id, now);
      append_channel (body, contact);
    }
  notice->body = g_string_free (body, FALSE);
  return notice;
}
