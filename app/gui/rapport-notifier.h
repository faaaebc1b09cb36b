/* rapport-notifier.h: desktop notifications for reminders, on time and once */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rapport-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_NOTIFIER (rapport_notifier_get_type ())
G_DECLARE_FINAL_TYPE (RapportNotifier, rapport_notifier, RAPPORT, NOTIFIER, GObject)

/* Notifications open things through actions of @app: "open-contact" (the
 * contact id as a string) and "show-today". @settings: (nullable): the
 * org.rapport.Rapport settings (quiet hours, working days, digest); %NULL
 * reads the default ones. */
RapportNotifier *rapport_notifier_new           (GApplication    *app,
                                                 RapportStore    *store,
                                                 GSettings       *settings);

/* Shows one summary of what fell due while Rapport was not running, then
 * keeps one timer armed for the next due item. */
void             rapport_notifier_start         (RapportNotifier *self);

/* Delivers what is due now and re-arms the timer: the timer calls it, and so
 * do resume from suspend and a clock change. */
void             rapport_notifier_check         (RapportNotifier *self);

/* The time (seconds since the epoch) the timer is armed for, 0 when nothing
 * will fall due and no timer runs. */
gint64           rapport_notifier_get_next_wake (RapportNotifier *self);

/* TRUE once the notifier listens for logind's resume signal (the system bus
 * is reached asynchronously at start). */
gboolean         rapport_notifier_get_watching_resume (RapportNotifier *self);
gboolean         rapport_notifier_get_watching_clock  (RapportNotifier *self);

G_END_DECLS
