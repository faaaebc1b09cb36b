/* rapport-format.c: showing stored keywords, times and people to a person */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "rapport-format.h"

typedef struct
{
  const char *keyword;
  const char *label;
  const char *context;  /* for words that are also verbs elsewhere ("Open") */
} Label;

static const char *
label_text (const Label *label)
{
  if (label->context != NULL)
    return g_dpgettext2 (NULL, label->context, label->label);
  return _(label->label);
}

static const Label contact_kinds[] = {
  { "person", N_("Person") },
  { "organization", N_("Organization") },
  { NULL, NULL },
};

static const Label relationships[] = {
  { "customer", N_("Customer") },
  { "prospect", N_("Prospect") },
  { "partner", N_("Partner") },
  { "former", N_("Former customer") },
  { NULL, NULL },
};

static const Label channels[] = {
  { "email", N_("Email") },
  { "phone", N_("Phone") },
  { "sms", N_("Text message") },
  { "meeting", N_("Meeting") },
  { "video", N_("Video call") },
  { "social", N_("Social media") },
  { "mail", N_("Letter") },
  { "in-person", N_("In person") },
  { "other", N_("Other") },
  { NULL, NULL },
};

static const Label interaction_kinds[] = {
  { "call", N_("Call") },
  { "email", N_("Email") },
  { "meeting", N_("Meeting") },
  { "message", N_("Message") },
  { "social", N_("Social mention") },
  { "visit", N_("Visit") },
  { "delivery", N_("Delivery") },
  { "support", N_("Support") },
  { "complaint", N_("Complaint") },
  { "feedback", N_("Feedback") },
  { "other", N_("Other") },
  { NULL, NULL },
};

static const Label directions[] = {
  { "outbound", N_("Outbound") },
  { "inbound", N_("Inbound") },
  { "internal", N_("Internal") },
  { NULL, NULL },
};

static const Label promise_statuses[] = {
  { "open", NC_("promise status", "Open"), "promise status" },
  { "kept", N_("Kept") },
  { "broken", N_("Broken") },
  { "cancelled", N_("Cancelled") },
  { NULL, NULL },
};

static const Label *
labels_for (RapportChoice choice)
{
  switch (choice)
    {
    case RAPPORT_CHOICE_CONTACT_KIND: return contact_kinds;
    case RAPPORT_CHOICE_RELATIONSHIP: return relationships;
    case RAPPORT_CHOICE_CHANNEL: return channels;
    case RAPPORT_CHOICE_INTERACTION_KIND: return interaction_kinds;
    case RAPPORT_CHOICE_DIRECTION: return directions;
    case RAPPORT_CHOICE_PROMISE_STATUS: return promise_statuses;
    default: g_assert_not_reached ();
    }
}

const char *const *
rapport_choice_keywords (RapportChoice choice)
{
  static const char **cache[RAPPORT_CHOICE_PROMISE_STATUS + 1];

  if (g_once_init_enter (&cache[choice]))
    {
      const Label *labels = labels_for (choice);
      GPtrArray *words = g_ptr_array_new ();

      for (guint i = 0; labels[i].keyword; i++)
        g_ptr_array_add (words, (gpointer) labels[i].keyword);
      g_ptr_array_add (words, NULL);
      g_once_init_leave (&cache[choice], (const char **) g_ptr_array_free (words, FALSE));
    }
  return cache[choice];
}

const char *
rapport_choice_label (RapportChoice choice, const char *keyword)
{
  const Label *labels = labels_for (choice);

  if (keyword == NULL)
    return "";
  for (guint i = 0; labels[i].keyword; i++)
    if (g_str_equal (labels[i].keyword, keyword))
      return label_text (&labels[i]);
  return keyword;
}

GtkStringList *
rapport_choice_model (RapportChoice choice)
{
  const Label *labels = labels_for (choice);
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; labels[i].keyword; i++)
    gtk_string_list_append (list, label_text (&labels[i]));
  return list;
}

guint
rapport_choice_index (RapportChoice choice, const char *keyword)
{
  const Label *labels = labels_for (choice);

  for (guint i = 0; keyword && labels[i].keyword; i++)
    if (g_str_equal (labels[i].keyword, keyword))
      return i;
  return 0;
}

const char *
rapport_choice_keyword (RapportChoice choice, guint index)
{
  const char *const *words = rapport_choice_keywords (choice);

  if (index >= g_strv_length ((char **) words))
    return words[0];
  return words[index];
}

static gint64
local_day (gint64 t)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local (t);

  return (gint64) g_date_time_get_year (dt) * 1000 + g_date_time_get_day_of_year (dt);
}

static int
days_between (gint64 from, gint64 to)
{
  g_autoptr (GDateTime) a = g_date_time_new_from_unix_local (from);
  g_autoptr (GDateTime) b = g_date_time_new_from_unix_local (to);
  g_autoptr (GDateTime) da = g_date_time_new_local (g_date_time_get_year (a),
                                                   g_date_time_get_month (a),
                                                   g_date_time_get_day_of_month (a), 12, 0, 0);
  g_autoptr (GDateTime) db = g_date_time_new_local (g_date_time_get_year (b),
                                                   g_date_time_get_month (b),
                                                   g_date_time_get_day_of_month (b), 12, 0, 0);

  return (int) (g_date_time_difference (db, da) / G_TIME_SPAN_DAY);
}

char *
rapport_format_time (gint64 t, gint64 now)
{
  g_autoptr (GDateTime) dt = NULL;
  g_autoptr (GDateTime) dnow = NULL;
  int days;

  if (t == 0)
    return g_strdup (_("never"));
  dt = g_date_time_new_from_unix_local (t);
  dnow = g_date_time_new_from_unix_local (now);
  days = days_between (now, t);
  if (local_day (t) == local_day (now))
    /* Translators: a time today, as in "14:30" */
    return g_date_time_format (dt, _("%H:%M"));
  if (days == -1)
    /* Translators: a time yesterday */
    return g_date_time_format (dt, _("Yesterday %H:%M"));
  if (days == 1)
    /* Translators: a time tomorrow */
    return g_date_time_format (dt, _("Tomorrow %H:%M"));
  if (g_date_time_get_year (dt) == g_date_time_get_year (dnow))
    /* Translators: a date this year, see strftime(3) */
    return g_date_time_format (dt, _("%-d %B"));
  /* Translators: a date in another year, see strftime(3) */
  return g_date_time_format (dt, _("%-d %B %Y"));
}

char *
rapport_format_relative_day (gint64 t, gint64 now)
{
  int days = days_between (now, t);

  if (days == 0)
    return g_strdup (_("today"));
  if (days == 1)
    return g_strdup (_("tomorrow"));
  if (days == -1)
    return g_strdup (_("yesterday"));
  if (days > 0)
    return g_strdup_printf (ngettext ("in %d day", "in %d days", days), days);
  return g_strdup_printf (ngettext ("%d day ago", "%d days ago", -days), -days);
}

char *
rapport_format_user (RapportStore *store, const char *user_id)
{
  g_autoptr (RapportUser) user = NULL;

  if (user_id == NULL || *user_id == '\0')
    return g_strdup (_("Unknown"));
  user = rapport_store_get_user (store, user_id);
  if (user == NULL)
    return g_strndup (user_id, 8);
  if (user->display_name && *user->display_name)
    return g_strdup (user->display_name);
  return g_strdup (user->name ? user->name : user_id);
}

/* Profiling ---------------------------------------------------------------- */

/* Milliseconds since the kernel started this process, from its start time in
 * /proc (clock ticks since boot) and CLOCK_BOOTTIME. */
static double
ms_since_process_start (void)
{
  static double start_ms = -1;
  struct timespec ts;

  clock_gettime (CLOCK_BOOTTIME, &ts);
  if (start_ms < 0)
    {
      g_autofree char *stat = NULL;
      const char *p;
      unsigned long long ticks = 0;

      start_ms = ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
      if (g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL)
          && (p = strrchr (stat, ')')) != NULL)
        {
          /* Field 22 (starttime); the text after ')' starts at field 3. */
          int field = 2;
          for (; *p && field < 22; p++)
            if (*p == ' ')
              field++;
          if (sscanf (p, "%llu", &ticks) == 1)
            start_ms = ticks * 1000.0 / sysconf (_SC_CLK_TCK);
        }
    }
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6 - start_ms;
}

gboolean
rapport_profile_enabled (void)
{
  static int enabled = -1;

  if (enabled < 0)
    enabled = g_strcmp0 (g_getenv ("RAPPORT_PROFILE"), "1") == 0;
  return enabled;
}

void
rapport_profile_mark (const char *name)
{
  static GHashTable *seen;

  if (!rapport_profile_enabled ())
    return;
  if (seen == NULL)
    seen = g_hash_table_new (g_str_hash, g_str_equal);
  if (g_hash_table_contains (seen, name))
    return;
  g_hash_table_add (seen, (gpointer) g_intern_string (name));
  fprintf (stderr, "profile: %s %.0f\n", name, ms_since_process_start ());
  fflush (stderr);
}

void
rapport_set_accessible_label (GtkWidget *widget, const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

void
rapport_set_list_row_label (GtkWidget *row, const char *label)
{
  GtkWidget *parent;

  rapport_set_accessible_label (row, label);
  /* Up through wrappers that hold the row alone (a bin that holds a row or
   * a heading), to the item. */
  for (GtkWidget *w = row; (parent = gtk_widget_get_parent (w)) != NULL; w = parent)
    {
      if (gtk_widget_get_first_child (parent) != w || gtk_widget_get_last_child (parent) != w)
        break;
      if (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (parent)) == GTK_ACCESSIBLE_ROLE_LIST_ITEM)
        {
          rapport_set_accessible_label (parent, label);
          break;
        }
    }
}

char *
rapport_strdup_trimmed (const char *text)
{
  char *copy;

  if (text == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    g_clear_pointer (&copy, g_free);
  return copy;
}

GSettings *
rapport_settings_get (void)
{
  static GSettings *settings;
  static gboolean looked_up;

  if (!looked_up)
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr (GSettingsSchema) schema = NULL;

      looked_up = TRUE;
      if (source != NULL)
        schema = g_settings_schema_source_lookup (source, BASE_ID, TRUE);
      if (schema != NULL)
        settings = g_settings_new_full (schema, NULL, NULL);
      else
        g_message ("The settings schema %s is not installed; using defaults. "
                   "Install Rapport or set GSETTINGS_SCHEMA_DIR", BASE_ID);
    }
  return settings;
}

int
rapport_settings_default_cadence (const char *relationship)
{
  GSettings *settings = rapport_settings_get ();
  g_autofree char *key = NULL;
  static const struct { const char *relationship; int days; } defaults[] = {
    { "customer", 30 }, { "prospect", 14 }, { "partner", 60 }, { "former", 0 },
  };

  if (relationship == NULL)
    return 0;
  key = g_strconcat ("default-cadence-", relationship, NULL);
  if (settings != NULL)
    {
      g_autoptr (GSettingsSchema) schema = NULL;
      g_object_get (settings, "settings-schema", &schema, NULL);
      if (g_settings_schema_has_key (schema, key))
        return g_settings_get_int (settings, key);
    }
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    if (g_str_equal (defaults[i].relationship, relationship))
      return defaults[i].days;
  return 0;
}

GHashTable *
rapport_user_cache_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

const char *
rapport_user_cache_lookup (GHashTable *cache, RapportStore *store, const char *user_id)
{
  char *name;

  if (user_id == NULL)
    return NULL;
  name = g_hash_table_lookup (cache, user_id);
  if (name == NULL)
    {
      name = rapport_format_user (store, user_id);
      g_hash_table_insert (cache, g_strdup (user_id), name);
    }
  return name;
}

void
rapport_widget_unparent_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}
