/* ui-common.h: what the in-process ui tests share */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef gboolean (*UiCondition) (gpointer data);

/* Sets TZ=UTC, then gtk_test_init() and adw_init(). Returns FALSE, having
 * printed a TAP "skip all" line, when there is no display (run the ui tests
 * under xvfb-run, see testing.md). */
gboolean ui_test_init       (int         *argc,
                             char      ***argv);

/* Runs the main loop until @condition holds; a minute without it is a
 * failure (g_error naming @what), never a wait that passes. */
void     ui_wait_until      (UiCondition  condition,
                             gpointer     data,
                             const char  *what);
/* Runs the main loop until nothing is pending. */
void     ui_settle          (void);
/* A UiCondition: the gboolean at @data is TRUE. */
gboolean ui_flag_set        (gpointer     data);
/* Waits until @widget has been drawn @frames more times. */
void     ui_wait_for_frames (GtkWidget   *widget,
                             guint        frames);
/* Writes a picture of @widget to <build>/tests/ui/screenshots/NAME.png, for
 * a person to look at (and to compare before and after a change). */
void     ui_save_screenshot (GtkWidget   *widget,
                             const char  *name);
/* The one visible toplevel of @type, or NULL. */
gpointer ui_find_toplevel   (GType        type);
/* Whether @widget is the one looked for. */
typedef gboolean (*UiWidgetMatch) (GtkWidget *widget, gconstpointer data);
/* The first widget of @root's tree (@root included, depth first) that
 * @match takes, or NULL. */
GtkWidget *ui_find_widget   (GtkWidget   *root,
                             UiWidgetMatch match,
                             gconstpointer data);
/* A UiWidgetMatch: a GtkLabel whose text contains the string @data. */
gboolean ui_label_contains  (GtkWidget   *widget,
                             gconstpointer data);

/* The template child @name of @widget, whose template is @type's; asserts it
 * exists. */
gpointer ui_template_child  (gpointer     widget,
                             GType        type,
                             const char  *name);

G_END_DECLS
