/* test-merge.c: the merge rule against an independent reference */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rapport-hlc.h"
#include "rapport-merge.h"

/* An entity with three fields; a change carrying all three is complete. */
static const char *const fields[] = { "a", "b", "c" };
static const char *const devices[] = { "000000000000000a", "000000000000000b", "00000000000000ff" };

typedef struct
{
  char *stamp;
  JsonObject *values;   /* field -> int */
} Change;

/* A replica's copy of one record, held the way the store holds it. */
typedef struct
{
  const char *base;     /* NULL: absent; points into @changes or "" */
  JsonObject *field_stamps;
  JsonObject *values;
} Replica;

/* The reference: by the rule of sync.md, each field holds the value of the
 * write with the greatest (time, counter, device), compared as numbers
 * here, never through rapport-merge.c or strcmp. */
static gboolean
newer (const char *x, const char *y)
{
  guint64 wx, wy, dx, dy;
  guint cx, cy;

  if (y == NULL)
    return TRUE;
  g_assert_cmpint (sscanf (x, "%13" G_GINT64_MODIFIER "x-%4x-%16" G_GINT64_MODIFIER "x", &wx, &cx, &dx), ==, 3);
  g_assert_cmpint (sscanf (y, "%13" G_GINT64_MODIFIER "x-%4x-%16" G_GINT64_MODIFIER "x", &wy, &cy, &dy), ==, 3);
  if (wx != wy)
    return wx > wy;
  if (cx != cy)
    return cx > cy;
  return dx > dy;
}

static void
reference (GPtrArray *changes, gint64 expected[3], gboolean present[3])
{
  for (guint f = 0; f < 3; f++)
    {
      const char *best = NULL;

      present[f] = FALSE;
      for (guint i = 0; i < changes->len; i++)
        {
          Change *ch = changes->pdata[i];
          if (json_object_has_member (ch->values, fields[f]) && newer (ch->stamp, best))
            {
              best = ch->stamp;
              expected[f] = json_object_get_int_member (ch->values, fields[f]);
              present[f] = TRUE;
            }
        }
    }
}

static void
deliver (Replica *r, Change *ch, GPtrArray *lost)
{
  g_autoptr (JsonObject) winners = rapport_merge_change (r->base, r->field_stamps, ch->stamp,
                                                          ch->values, lost);
  g_autoptr (GList) members = json_object_get_members (winners);

  if (members == NULL)
    return;
  for (GList *l = members; l; l = l->next)
    json_object_set_int_member (r->values, l->data, json_object_get_int_member (winners, l->data));
  rapport_merge_record_stamps (&r->base, r->field_stamps, ch->stamp, winners,
                               json_object_get_size (ch->values) == 3);
}

static void
change_free (Change *ch)
{
  g_free (ch->stamp);
  json_object_unref (ch->values);
  g_free (ch);
}

static GPtrArray *
random_changes (GRand *rand)
{
  GPtrArray *changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
  guint n = g_rand_int_range (rand, 1, 9);

  for (guint i = 0; i < n; i++)
    {
      Change *ch = g_new0 (Change, 1);
      gboolean complete = g_rand_boolean (rand);

      /* Few distinct times and counters, so ties on time are common and only
       * the device breaks them. */
      ch->stamp = rapport_stamp_format (G_GINT64_CONSTANT (1772442000000) + g_rand_int_range (rand, 0, 3),
                                        g_rand_int_range (rand, 0, 2),
                                        devices[g_rand_int_range (rand, 0, 3)]);
      ch->values = json_object_new ();
      for (guint f = 0; f < 3; f++)
        if (complete || g_rand_boolean (rand))
          json_object_set_int_member (ch->values, fields[f], g_rand_int_range (rand, 0, 1000));
      if (json_object_get_size (ch->values) == 0)
        json_object_set_int_member (ch->values, "a", 1);
      /* Two different writes never share a stamp. */
      for (guint j = 0; j < changes->len; j++)
        if (g_str_equal (((Change *) changes->pdata[j])->stamp, ch->stamp))
          {
            change_free (ch);
            ch = NULL;
            break;
          }
      if (ch != NULL)
        g_ptr_array_add (changes, ch);
    }
  return changes;
}

static void
replica_check (Replica *r, gint64 expected[3], gboolean present[3])
{
  for (guint f = 0; f < 3; f++)
    {
      if (!present[f])
        {
          g_assert_false (json_object_has_member (r->values, fields[f]));
          continue;
        }
      g_assert_true (json_object_has_member (r->values, fields[f]));
      g_assert_cmpint (json_object_get_int_member (r->values, fields[f]), ==, expected[f]);
    }
}

/* Random writes delivered in random orders, some twice: every replica ends
 * with the reference's values. */
static void
test_against_reference (void)
{
  GRand *rand = g_rand_new_with_seed (2026);

  for (guint round = 0; round < 2000; round++)
    {
      g_autoptr (GPtrArray) changes = random_changes (rand);
      gint64 expected[3];
      gboolean present[3];

      reference (changes, expected, present);
      for (guint replica = 0; replica < 3; replica++)
        {
          Replica r = { NULL, json_object_new (), json_object_new () };
          g_autoptr (GPtrArray) order = g_ptr_array_new ();

          for (guint i = 0; i < changes->len; i++)
            {
              g_ptr_array_add (order, changes->pdata[i]);
              if (g_rand_int_range (rand, 0, 4) == 0)
                g_ptr_array_add (order, changes->pdata[i]);
            }
          for (guint i = order->len; i > 1; i--)
            {
              guint j = g_rand_int_range (rand, 0, i);
              gpointer tmp = order->pdata[i - 1];
              order->pdata[i - 1] = order->pdata[j];
              order->pdata[j] = tmp;
            }
          for (guint i = 0; i < order->len; i++)
            deliver (&r, order->pdata[i], NULL);
          replica_check (&r, expected, present);
          json_object_unref (r.field_stamps);
          json_object_unref (r.values);
        }
    }
  g_rand_free (rand);
}

static Change *
change (const char *stamp, const char *f1, gint64 v1, const char *f2, gint64 v2)
{
  Change *ch = g_new0 (Change, 1);

  ch->stamp = g_strdup (stamp);
  ch->values = json_object_new ();
  json_object_set_int_member (ch->values, f1, v1);
  if (f2 != NULL)
    json_object_set_int_member (ch->values, f2, v2);
  return ch;
}

#define S1 "0019cadc69a00-0000-000000000000000a"
#define S2 "0019cadc69a00-0000-000000000000000b" /* same time, higher device */
#define S3 "0019cadc69a01-0000-000000000000000a"

static void
test_cases (void)
{
  Replica r = { NULL, json_object_new (), json_object_new () };
  g_autoptr (GPtrArray) lost = g_ptr_array_new_with_free_func (g_free);
  Change *full = g_new0 (Change, 1);
  Change *older_a = change (S1, "a", 10, NULL, 0);
  Change *newer_b = change (S3, "b", 30, NULL, 0);
  g_autoptr (JsonObject) winners = NULL;

  full->stamp = g_strdup (S2);
  full->values = json_object_new ();
  json_object_set_int_member (full->values, "a", 2);
  json_object_set_int_member (full->values, "b", 2);
  json_object_set_int_member (full->values, "c", 2);

  /* Absent record: nothing is current. */
  g_assert_null (rapport_merge_field_stamp (NULL, NULL, "a"));

  /* A partial write seen first: the record's base is "" (older than any
   * write), so the older complete write still fills the other fields. */
  deliver (&r, newer_b, lost);
  g_assert_cmpstr (r.base, ==, "");
  deliver (&r, full, lost);
  g_assert_cmpuint (lost->len, ==, 1);
  g_assert_cmpstr (lost->pdata[0], ==, "b");
  g_assert_cmpint (json_object_get_int_member (r.values, "a"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (r.values, "b"), ==, 30);
  g_assert_cmpint (json_object_get_int_member (r.values, "c"), ==, 2);
  g_assert_cmpstr (rapport_merge_field_stamp (r.base, r.field_stamps, "b"), ==, S3);
  g_assert_cmpstr (rapport_merge_field_stamp (r.base, r.field_stamps, "c"), ==, S2);

  /* Same time, lower device: loses the tie. */
  g_ptr_array_set_size (lost, 0);
  deliver (&r, older_a, lost);
  g_assert_cmpuint (lost->len, ==, 1);
  g_assert_cmpint (json_object_get_int_member (r.values, "a"), ==, 2);

  /* The same write again changes nothing; only the field a newer write
   * holds is reported lost, not the ones it wrote itself. */
  g_ptr_array_set_size (lost, 0);
  winners = rapport_merge_change (r.base, r.field_stamps, S2, full->values, lost);
  g_assert_cmpuint (json_object_get_size (winners), ==, 0);
  g_assert_cmpuint (lost->len, ==, 1);
  g_assert_cmpstr (lost->pdata[0], ==, "b");

  /* A complete write on an absent record becomes its base. */
  {
    const char *base = NULL;
    g_autoptr (JsonObject) stamps = json_object_new ();
    rapport_merge_record_stamps (&base, stamps, S1, full->values, TRUE);
    g_assert_cmpstr (base, ==, S1);
    g_assert_cmpuint (json_object_get_size (stamps), ==, 0);
  }

  change_free (full);
  change_free (older_a);
  change_free (newer_b);
  json_object_unref (r.field_stamps);
  json_object_unref (r.values);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/merge/cases", test_cases);
  g_test_add_func ("/merge/against-reference", test_against_reference);
  return g_test_run ();
}
