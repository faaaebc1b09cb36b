/* test-sync-faults-proxy.h: a loopback TCP proxy that cuts connections */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Listens on 127.0.0.1 (a free port) and forwards every connection to
 * 127.0.0.1:@target_port, in its own threads, so it works while the test's
 * main loop is busy. A cut closes the connection carrying the Nth byte in
 * one direction (both sockets, hard), after forwarding exactly N bytes that
 * way since the cut was armed; it is then re-armed for the next N bytes as
 * many times as asked, and spent after that. */
typedef struct _SyncProxy SyncProxy;

typedef enum
{
  SYNC_PROXY_UP,     /* client → server */
  SYNC_PROXY_DOWN,   /* server → client */
} SyncProxyDirection;

SyncProxy  *sync_proxy_new         (guint16             target_port);
char       *sync_proxy_get_url     (SyncProxy          *proxy);
void        sync_proxy_set_target  (SyncProxy          *proxy,
                                    guint16             target_port);
/* Arms @times cuts after @offset bytes in @direction; -1 disarms. */
void        sync_proxy_cut_after   (SyncProxy          *proxy,
                                    SyncProxyDirection  direction,
                                    gint64              offset,
                                    guint               times);
/* Cuts made since the last sync_proxy_cut_after(). */
guint       sync_proxy_get_cuts    (SyncProxy          *proxy);
/* Bytes forwarded in @direction since the proxy started. */
gint64      sync_proxy_get_bytes   (SyncProxy          *proxy,
                                    SyncProxyDirection  direction);
void        sync_proxy_free        (SyncProxy          *proxy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyncProxy, sync_proxy_free)

G_END_DECLS
