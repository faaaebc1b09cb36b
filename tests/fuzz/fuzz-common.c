/* fuzz-common.c: what every libFuzzer target of the codecs and readers sets up */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>

#include "fuzz-common.h"

/* A warning or critical from any library is a finding: abort, so that
 * libFuzzer keeps the input. */
static GLogWriterOutput
fatal_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  GLogWriterOutput result = g_log_writer_standard_streams (level, fields, n_fields, user_data);

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return result;
}

void
fuzz_common_init (void)
{
  /* GSlice keeps freed memory in magazines: each run would look like a
   * leak to libFuzzer's leak check, and make it slow. */
  g_setenv ("G_SLICE", "always-malloc", TRUE);
  g_log_set_writer_func (fatal_writer, NULL, NULL);
}
