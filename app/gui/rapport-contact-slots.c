/* rapport-contact-slots.c: the contact list as rows that keep their widgets */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include "rapport-contact-slots.h"

/* Past this many places kept, those nobody else holds are let go. GTK holds
 * the places it shows (up to about 200 in GTK 4.8) and the selected one. */
#define MAX_IDLE_SLOTS 512

/* RapportContactSlot ------------------------------------------------------ */

struct _RapportContactSlot
{
  GObject parent_instance;

  RapportContactSlots *model;   /* not owned; NULL once the place is gone */
  guint position;
  RapportContact *contact;      /* read on demand */
};

G_DEFINE_FINAL_TYPE (RapportContactSlot, rapport_contact_slot, G_TYPE_OBJECT)

enum
{
  SLOT_CHANGED,
  N_SLOT_SIGNALS
};

static guint slot_signals[N_SLOT_SIGNALS];

struct _RapportContactSlots
{
  GObject parent_instance;

  GListModel *contacts;
  gulong changed_handler;
  guint n_items;                /* of contacts, as last announced */
  GHashTable *slots;            /* position -> RapportContactSlot (a reference) */
};

static void
rapport_contact_slot_finalize (GObject *object)
{
  g_clear_object (&RAPPORT_CONTACT_SLOT (object)->contact);
  G_OBJECT_CLASS (rapport_contact_slot_parent_class)->finalize (object);
}

static void
rapport_contact_slot_class_init (RapportContactSlotClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rapport_contact_slot_finalize;

  /**
   * RapportContactSlot::changed:
   *
   * Another contact (or the same one, edited) is in this place now.
   */
  slot_signals[SLOT_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);
}

static void
rapport_contact_slot_init (RapportContactSlot *self)
{
}

RapportContact *
rapport_contact_slot_get_contact (RapportContactSlot *self)
{
  g_return_val_if_fail (RAPPORT_IS_CONTACT_SLOT (self), NULL);

  if (self->contact == NULL && self->model != NULL && self->model->contacts != NULL
      && self->position < self->model->n_items)
    self->contact = g_list_model_get_item (self->model->contacts, self->position);
  return self->contact;
}

/* Empties the place and says so: its contact is read again when asked for. */
static void
slot_reset (RapportContactSlot *self)
{
  g_clear_object (&self->contact);
  g_signal_emit (self, slot_signals[SLOT_CHANGED], 0);
}

/* RapportContactSlots ----------------------------------------------------- */

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RapportContactSlots, rapport_contact_slots, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static gboolean
slot_is_idle (RapportContactSlot *slot)
{
  /* Only this model holds it: no widget shows it, nothing selected it. */
  return g_atomic_int_get ((int *) &G_OBJECT (slot)->ref_count) == 1;
}

static void
slot_release (gpointer data)
{
  RapportContactSlot *slot = data;

  slot->model = NULL;
  g_clear_object (&slot->contact);
  g_object_unref (slot);
}

static int
compare_positions (gconstpointer a, gconstpointer b)
{
  const RapportContactSlot *x = *(RapportContactSlot *const *) a;
  const RapportContactSlot *y = *(RapportContactSlot *const *) b;

  return x->position < y->position ? -1 : x->position > y->position;
}

/* Moves the places for @removed items at @position becoming @added others:
 * the first MIN (removed, added) stay, with new contacts; the rest of the
 * removed go; those after move along. */
static void
move_slots (RapportContactSlots *self, guint position, guint removed, guint added)
{
  guint kept = MIN (removed, added);
  g_autoptr (GHashTable) old = self->slots;
  g_autoptr (GPtrArray) changed = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  self->slots = g_hash_table_new_full (NULL, NULL, NULL, slot_release);
  g_hash_table_iter_init (&iter, old);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      RapportContactSlot *slot = value;
      guint at = GPOINTER_TO_UINT (key);

      g_hash_table_iter_steal (&iter);
      if (slot_is_idle (slot) || (at >= position + kept && at < position + removed))
        {
          slot_release (slot);
          continue;
        }
      if (at >= position + removed)
        at = at - removed + added;
      else if (at >= position)
        g_ptr_array_add (changed, slot);
      slot->position = at;
      g_hash_table_insert (self->slots, GUINT_TO_POINTER (at), slot);
    }
  /* The slots are all in place before any row reads its new contact; the
   * first first (those in sight, read a page of contacts at a time). */
  g_ptr_array_sort (changed, compare_positions);
  for (guint i = 0; i < changed->len; i++)
    slot_reset (changed->pdata[i]);
}

/* @removed contacts at @position became @added others. The places of the
 * first MIN (removed, added) are the same items as before, showing other
 * contacts (each says so with ::changed): only the places that come or go
 * are a change of items. GTK then has nothing to do for a list replaced by
 * one as long (a keystroke in the search), where a change of every item
 * would have it look up and rebind each of its rows (about 10 ms for 200). */
static void
announce (RapportContactSlots *self, guint position, guint removed, guint added)
{
  guint kept = MIN (removed, added);

  move_slots (self, position, removed, added);
  if (removed != added)
    g_list_model_items_changed (G_LIST_MODEL (self), position + kept, removed - kept, added - kept);
}

static void
contacts_changed_cb (GListModel *contacts, guint position, guint removed, guint added,
                     RapportContactSlots *self)
{
  self->n_items = g_list_model_get_n_items (contacts);
  announce (self, position, removed, added);
}

static GType
rapport_contact_slots_get_item_type (GListModel *model)
{
  return RAPPORT_TYPE_CONTACT_SLOT;
}

static guint
rapport_contact_slots_get_n_items (GListModel *model)
{
  return RAPPORT_CONTACT_SLOTS (model)->n_items;
}

static void
drop_idle_slots (RapportContactSlots *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (slot_is_idle (value))
      g_hash_table_iter_remove (&iter);
}

static gpointer
rapport_contact_slots_get_item (GListModel *model, guint position)
{
  RapportContactSlots *self = RAPPORT_CONTACT_SLOTS (model);
  RapportContactSlot *slot;

  if (position >= self->n_items)
    return NULL;
  slot = g_hash_table_lookup (self->slots, GUINT_TO_POINTER (position));
  if (slot == NULL)
    {
      if (g_hash_table_size (self->slots) >= MAX_IDLE_SLOTS)
        drop_idle_slots (self);
      slot = g_object_new (RAPPORT_TYPE_CONTACT_SLOT, NULL);
      slot->model = self;
      slot->position = position;
      g_hash_table_insert (self->slots, GUINT_TO_POINTER (position), slot);
    }
  return g_object_ref (slot);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = rapport_contact_slots_get_item_type;
  iface->get_n_items = rapport_contact_slots_get_n_items;
  iface->get_item = rapport_contact_slots_get_item;
}

static void
rapport_contact_slots_dispose (GObject *object)
{
  RapportContactSlots *self = RAPPORT_CONTACT_SLOTS (object);

  if (self->contacts != NULL)
    g_clear_signal_handler (&self->changed_handler, self->contacts);
  g_clear_object (&self->contacts);
  /* Places still held elsewhere outlive the model: they show nothing. */
  g_hash_table_remove_all (self->slots);
  G_OBJECT_CLASS (rapport_contact_slots_parent_class)->dispose (object);
}

static void
rapport_contact_slots_finalize (GObject *object)
{
  g_hash_table_unref (RAPPORT_CONTACT_SLOTS (object)->slots);
  G_OBJECT_CLASS (rapport_contact_slots_parent_class)->finalize (object);
}

static void
rapport_contact_slots_class_init (RapportContactSlotsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rapport_contact_slots_dispose;
  object_class->finalize = rapport_contact_slots_finalize;
}

static void
rapport_contact_slots_init (RapportContactSlots *self)
{
  self->slots = g_hash_table_new_full (NULL, NULL, NULL, slot_release);
}

/**
 * rapport_contact_slots_new:
 * @contacts: (nullable): a GListModel of RapportContact
 *
 * Returns: (transfer full): the places of @contacts' items
 */
RapportContactSlots *
rapport_contact_slots_new (GListModel *contacts)
{
  RapportContactSlots *self = g_object_new (RAPPORT_TYPE_CONTACT_SLOTS, NULL);

  rapport_contact_slots_set_model (self, contacts);
  return self;
}

/**
 * rapport_contact_slots_set_model:
 * @contacts: (nullable): a GListModel of RapportContact
 *
 * Shows @contacts in the places the previous model's contacts were in.
 */
void
rapport_contact_slots_set_model (RapportContactSlots *self, GListModel *contacts)
{
  guint removed;

  g_return_if_fail (RAPPORT_IS_CONTACT_SLOTS (self));
  g_return_if_fail (contacts == NULL || G_IS_LIST_MODEL (contacts));

  if (self->contacts == contacts)
    return;
  if (self->contacts != NULL)
    g_clear_signal_handler (&self->changed_handler, self->contacts);
  g_set_object (&self->contacts, contacts);
  if (contacts != NULL)
    self->changed_handler = g_signal_connect (contacts, "items-changed",
                                              G_CALLBACK (contacts_changed_cb), self);
  removed = self->n_items;
  self->n_items = contacts ? g_list_model_get_n_items (contacts) : 0;
  announce (self, 0, removed, self->n_items);
}

/**
 * rapport_contact_slots_get_model:
 *
 * Returns: (transfer none) (nullable): the contacts shown in the places
 */
GListModel *
rapport_contact_slots_get_model (RapportContactSlots *self)
{
  g_return_val_if_fail (RAPPORT_IS_CONTACT_SLOTS (self), NULL);

  return self->contacts;
}
