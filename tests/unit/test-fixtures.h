/* test-fixtures.h: records for tests, saved through the store's write path */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-store.h"

#define FX_HOUR ((gint64) 3600)
#define FX_DAY (24 * FX_HOUR)

/* Each saves the record (asserting success) and returns it (transfer full). */
void                fx_save        (RapportStore *store,
                                    gpointer      record);
RapportUser        *fx_user        (RapportStore *store,
                                    const char   *name,
                                    const char   *department,
                                    const char   *role);
RapportContact     *fx_contact     (RapportStore *store,
                                    const char   *name,
                                    const char   *owner,
                                    gint64        cadence_days,
                                    gint64        created_at);
RapportInteraction *fx_interaction (RapportStore *store,
                                    const char   *contact_id,
                                    const char   *kind,
                                    const char   *logged_by,
                                    gint64        occurred_at,
                                    const char   *summary);
RapportReminder    *fx_reminder    (RapportStore *store,
                                    const char   *contact_id,
                                    const char   *owner,
                                    gint64        due_at);
RapportPromise     *fx_promise     (RapportStore *store,
                                    const char   *contact_id,
                                    const char   *promised_by,
                                    const char   *deliver_by_user,
                                    const char   *deliver_by_department,
                                    gint64        due_at);
RapportNote        *fx_note        (RapportStore *store,
                                    const char   *contact_id,
                                    const char   *author,
                                    const char   *body,
                                    gboolean      is_private);
/* The id of a record. */
#define FX_ID(record) (RAPPORT_RECORD (record)->id)
