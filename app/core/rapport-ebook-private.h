/* rapport-ebook-private.h: libebook-contacts, without its deprecation noise */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

/* libedataserver's headers still mention GTimeVal; that is theirs, not ours. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libebook-contacts/libebook-contacts.h>
G_GNUC_END_IGNORE_DEPRECATIONS
