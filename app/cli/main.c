/* main.c: rapport-cli, the scriptable companion of Rapport */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include "rapport-cli.h"

int
main (int argc, char **argv)
{
  return rapport_cli_run (argc, argv);
}
