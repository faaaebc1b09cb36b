/* rapport-initials.c: a contact's initials on a colored disc, for list rows */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <string.h>

#include "rapport-initials.h"

struct _RapportInitials
{
  GtkWidget parent_instance;

  int size;
  char *initials;
  guint color;
  PangoLayout *layout;        /* of the initials, made when drawn */
};

G_DEFINE_FINAL_TYPE (RapportInitials, rapport_initials, GTK_TYPE_WIDGET)

/* libadwaita 1.2's avatar colors (top, bottom of the gradient; text). */
static const struct
{
  const char *top, *bottom, *text;
} palette[] = {
  { "#83b6ec", "#337fdc", "#cfe1f5" }, { "#7ad9f1", "#0f9ac8", "#caeaf2" },
  { "#8de6b1", "#29ae74", "#cef8d8" }, { "#b5e98a", "#6ab85b", "#e6f9d7" },
  { "#f8e359", "#d29d09", "#f9f4e1" }, { "#ffcb62", "#d68400", "#ffead1" },
  { "#ffa95a", "#ed5b00", "#ffe5c5" }, { "#f78773", "#e62d42", "#f8d2ce" },
  { "#e973ab", "#e33b6a", "#fac7de" }, { "#cb78d4", "#9945b5", "#e7c2e8" },
  { "#9e91e8", "#7a59ca", "#d5d2f5" }, { "#e3cf9c", "#b08952", "#f2eade" },
  { "#be916d", "#785336", "#e5d6ca" }, { "#c0bfbc", "#6e6d71", "#d8d7d3" },
};

/* The first letter of the first and of the last word, in capitals. */
static char *
extract_initials (const char *text)
{
  GString *initials = g_string_new (NULL);
  const char *last;
  gunichar c;

  while (*text == ' ')
    text++;
  if (*text == '\0')
    return g_string_free (initials, FALSE);
  c = g_unichar_toupper (g_utf8_get_char (text));
  g_string_append_unichar (initials, c);
  last = strrchr (text, ' ');
  if (last != NULL && last[1] != '\0')
    g_string_append_unichar (initials, g_unichar_toupper (g_utf8_get_char (last + 1)));
  return g_string_free (initials, FALSE);
}

static void
rapport_initials_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                          int *minimum, int *natural, int *minimum_baseline,
                          int *natural_baseline)
{
  *minimum = *natural = RAPPORT_INITIALS (widget)->size;
}

static void
rapport_initials_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  RapportInitials *self = RAPPORT_INITIALS (widget);
  float size = self->size;
  graphene_rect_t disc = GRAPHENE_RECT_INIT ((gtk_widget_get_width (widget) - size) / 2,
                                             (gtk_widget_get_height (widget) - size) / 2,
                                             size, size);
  GskRoundedRect clip;
  GskColorStop stops[2];
  GdkRGBA text;
  int width, height;

  gdk_rgba_parse (&stops[0].color, palette[self->color].top);
  gdk_rgba_parse (&stops[1].color, palette[self->color].bottom);
  gdk_rgba_parse (&text, palette[self->color].text);
  stops[0].offset = 0;
  stops[1].offset = 1;
  gsk_rounded_rect_init_from_rect (&clip, &disc, size / 2);
  gtk_snapshot_push_rounded_clip (snapshot, &clip);
  gtk_snapshot_append_linear_gradient (snapshot, &disc,
                                       &GRAPHENE_POINT_INIT (disc.origin.x, disc.origin.y),
                                       &GRAPHENE_POINT_INIT (disc.origin.x, disc.origin.y + size),
                                       stops, 2);
  if (self->initials != NULL && *self->initials != '\0')
    {
      if (self->layout == NULL)
        {
          g_autoptr (PangoFontDescription) font = pango_font_description_new ();

          self->layout = gtk_widget_create_pango_layout (widget, self->initials);
          pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
          pango_font_description_set_absolute_size (font, size * 0.36 * PANGO_SCALE);
          pango_layout_set_font_description (self->layout, font);
        }
      pango_layout_get_pixel_size (self->layout, &width, &height);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (disc.origin.x + (size - width) / 2,
                                                    disc.origin.y + (size - height) / 2));
      gtk_snapshot_append_layout (snapshot, self->layout, &text);
      gtk_snapshot_restore (snapshot);
    }
  gtk_snapshot_pop (snapshot);
}

static void
rapport_initials_finalize (GObject *object)
{
  RapportInitials *self = RAPPORT_INITIALS (object);

  g_clear_object (&self->layout);
  g_free (self->initials);
  G_OBJECT_CLASS (rapport_initials_parent_class)->finalize (object);
}

static void
rapport_initials_class_init (RapportInitialsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rapport_initials_finalize;
  widget_class->measure = rapport_initials_measure;
  widget_class->snapshot = rapport_initials_snapshot;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
rapport_initials_init (RapportInitials *self)
{
  self->size = 36;
}

GtkWidget *
rapport_initials_new (int size)
{
  RapportInitials *self = g_object_new (RAPPORT_TYPE_INITIALS, NULL);

  self->size = MAX (size, 1);
  return GTK_WIDGET (self);
}

/**
 * rapport_initials_set_text:
 * @text: (nullable): a name
 *
 * Shows the initials of @text on a color chosen by @text.
 */
void
rapport_initials_set_text (RapportInitials *self, const char *text)
{
  g_autofree char *initials = NULL;
  guint color;

  g_return_if_fail (RAPPORT_IS_INITIALS (self));

  initials = extract_initials (text ? text : "");
  color = g_str_hash (text ? text : "") % G_N_ELEMENTS (palette);
  if (color == self->color && g_strcmp0 (initials, self->initials) == 0)
    return;
  self->color = color;
  g_free (self->initials);
  self->initials = g_steal_pointer (&initials);
  g_clear_object (&self->layout);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
