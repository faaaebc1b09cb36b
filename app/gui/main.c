/* main.c: starts the Rapport desktop app */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "rapport-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (RapportApplication) app = NULL;
  const char *localedir = g_getenv ("RAPPORT_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* RAPPORT_LOCALEDIR lets an uninstalled build use the translations it built. */
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  rapport_application_choose_renderer ();
  app = rapport_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
