/* fuzz-common.h: what every libFuzzer target of the codecs and readers sets up */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

void fuzz_common_init (void);
