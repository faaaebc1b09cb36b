/* rapport-records.h: the records of a relationship (plain data objects) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-record.h"

G_BEGIN_DECLS

/* Records are plain data: their fields are public, every field is described
 * in the entity table of rapport-records.c, and the store reads and writes
 * them generically. Times are seconds since the epoch in UTC (0 = unset). */

/* Contact kinds, relationships, channels, etc. are stored as the lower-case
 * English keywords below; the UI translates them for display. */
#define RAPPORT_CONTACT_KINDS       "person", "organization"
#define RAPPORT_RELATIONSHIPS       "customer", "prospect", "partner", "former"
#define RAPPORT_CHANNELS            "email", "phone", "sms", "meeting", "video", "social", "mail", "in-person", "other"
#define RAPPORT_INTERACTION_KINDS   "call", "email", "meeting", "message", "social", "visit", "delivery", "support", "complaint", "feedback", "other"
#define RAPPORT_DIRECTIONS          "inbound", "outbound", "internal"
#define RAPPORT_PROMISE_STATUSES    "open", "kept", "broken", "cancelled"
#define RAPPORT_ROLES               "staff", "manager", "admin"

/* Contact ---------------------------------------------------------------- */

#define RAPPORT_TYPE_CONTACT (rapport_contact_get_type ())
G_DECLARE_FINAL_TYPE (RapportContact, rapport_contact, RAPPORT, CONTACT, RapportRecord)

struct _RapportContact
{
  RapportRecord parent_instance;
  char *kind;               /* person | organization */
  char *name;               /* display name */
  char *given_name;
  char *family_name;
  char *organization_id;    /* a person's organization contact, if any */
  char *organization;       /* organization name as text */
  char *job_title;
  char *relationship;       /* customer | prospect | partner | former */
  char *stage;              /* lifecycle stage, free text (lead, qualified, active, ...) */
  char *owner;              /* user id */
  char **tags;
  JsonArray *emails;        /* [{ "label": "work", "value": "a@b.org" }] */
  JsonArray *phones;        /* [{ "label": "mobile", "value": "+44 20 7946 0018" }] */
  JsonArray *addresses;     /* [{ "label", "street", "city", "region", "postcode", "country" }] */
  JsonArray *social;        /* [{ "service": "linkedin", "handle": "..." }] */
  char *birthday;           /* YYYY-MM-DD or --MM-DD */
  char *source;
  char *preferred_channel;  /* one of RAPPORT_CHANNELS */
  gboolean do_not_contact;
  gboolean marketing_consent;
  gint64 cadence_days;      /* keep in touch every N days; 0 = none */
  char *created_by;         /* user id */
  /* Not synced: kept up to date by the store from the timeline. */
  gint64 last_interaction_at;
};

RapportContact *rapport_contact_new                (void);
const char     *rapport_contact_get_primary_email  (RapportContact *self);
const char     *rapport_contact_get_primary_phone  (RapportContact *self);
const char     *rapport_contact_get_channel_address (RapportContact *self,
                                                     const char    **channel);
void            rapport_contact_add_email          (RapportContact *self,
                                                    const char     *label,
                                                    const char     *value);
void            rapport_contact_add_phone          (RapportContact *self,
                                                    const char     *label,
                                                    const char     *value);
gboolean        rapport_contact_has_tag            (RapportContact *self,
                                                    const char     *tag);

/* Interaction: one touch of the relationship, by anyone ------------------ */

#define RAPPORT_TYPE_INTERACTION (rapport_interaction_get_type ())
G_DECLARE_FINAL_TYPE (RapportInteraction, rapport_interaction, RAPPORT, INTERACTION, RapportRecord)

struct _RapportInteraction
{
  RapportRecord parent_instance;
  char *contact_id;
  char *kind;               /* one of RAPPORT_INTERACTION_KINDS */
  char *direction;          /* inbound | outbound | internal */
  char *channel;
  gint64 occurred_at;
  char *logged_by;          /* user id */
  char *department;
  char *summary;
  char *body;
  /* Complaints and feedback wait for a response. */
  gboolean awaiting_response;
  gint64 responded_at;
  char *responded_by;
  gint64 resolved_at;
};

RapportInteraction *rapport_interaction_new (void);

/* Note ------------------------------------------------------------------- */

#define RAPPORT_TYPE_NOTE (rapport_note_get_type ())
G_DECLARE_FINAL_TYPE (RapportNote, rapport_note, RAPPORT, NOTE, RapportRecord)

struct _RapportNote
{
  RapportRecord parent_instance;
  char *contact_id;
  char *body;
  gboolean private;         /* only the author sees it */
  gboolean pinned;
  char *author;             /* user id */
  gint64 updated_at;
  char *updated_by;
};

RapportNote *rapport_note_new (void);

/* Reminder: a follow-up -------------------------------------------------- */

#define RAPPORT_TYPE_REMINDER (rapport_reminder_get_type ())
G_DECLARE_FINAL_TYPE (RapportReminder, rapport_reminder, RAPPORT, REMINDER, RapportRecord)

struct _RapportReminder
{
  RapportRecord parent_instance;
  char *contact_id;
  char *owner;              /* user id */
  char *title;
  gint64 due_at;
  char *recurrence;         /* NULL, or "3d", "2w", "1m" */
  gboolean working_days;    /* recurrence skips Saturdays and Sundays */
  gint64 snoozed_until;
  gint64 done_at;
  char *done_by;
  char *created_by;
};

RapportReminder *rapport_reminder_new    (void);
gint64           rapport_reminder_get_effective_due (RapportReminder *self);

/* Promise: what someone promised the customer ----------------------------- */

#define RAPPORT_TYPE_PROMISE (rapport_promise_get_type ())
G_DECLARE_FINAL_TYPE (RapportPromise, rapport_promise, RAPPORT, PROMISE, RapportRecord)

struct _RapportPromise
{
  RapportRecord parent_instance;
  char *contact_id;
  char *what;
  char *promised_by;        /* user id */
  char *deliver_by_user;    /* user id, or NULL */
  char *deliver_by_department;
  gint64 due_at;
  char *status;             /* open | kept | broken | cancelled */
  gint64 status_at;
  char *status_by;
};

RapportPromise *rapport_promise_new (void);

/* User ------------------------------------------------------------------- */

#define RAPPORT_TYPE_USER (rapport_user_get_type ())
G_DECLARE_FINAL_TYPE (RapportUser, rapport_user, RAPPORT, USER, RapportRecord)

struct _RapportUser
{
  RapportRecord parent_instance;
  char *name;               /* login name on the server, or display name locally */
  char *display_name;
  char *department;
  char *role;               /* staff | manager | admin */
  gboolean disabled;
};

RapportUser *rapport_user_new (void);

G_END_DECLS
