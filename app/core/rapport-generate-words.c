/* rapport-generate-words.c: word lists and randomness for the reference data sets */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-generate"

#include "config.h"

#include "rapport-generate-private.h"

/* Randomness ------------------------------------------------------------------ */

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

void
rapport_rng_init (RapportRng *rng, guint64 seed)
{
  for (guint i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&seed);
}

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

guint64
rapport_rng_next (RapportRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

guint32
rapport_rng_below (RapportRng *rng, guint32 n)
{
  g_assert (n > 0);
  /* Multiply-shift: no modulo bias worth noticing at these sizes. */
  return (guint32) (((rapport_rng_next (rng) >> 32) * (guint64) n) >> 32);
}

gint64
rapport_rng_range (RapportRng *rng, gint64 lo, gint64 hi)
{
  g_assert (hi >= lo);
  return lo + (gint64) (rapport_rng_next (rng) % (guint64) (hi - lo + 1));
}

gboolean
rapport_rng_percent (RapportRng *rng, guint percent)
{
  return rapport_rng_below (rng, 100) < percent;
}

char *
rapport_rng_uuid (RapportRng *rng, guint64 ms, guint sequence)
{
  guint64 b = rapport_rng_next (rng);

  return g_strdup_printf ("%08x-%04x-7%03x-%04x-%012" G_GINT64_MODIFIER "x",
                          (guint) ((ms >> 16) & 0xffffffff), (guint) (ms & 0xffff), sequence & 0xfff,
                          (guint) (0x8000 | ((b >> 48) & 0x3fff)),
                          (guint64) (b & G_GUINT64_CONSTANT (0xffffffffffff)));
}

/* Word lists ------------------------------------------------------------------ */

#define WORDS(name, ...)                                                \
  static const char *const name##_items[] = { __VA_ARGS__ };            \
  const RapportWordList rapport_gen_##name = { name##_items, G_N_ELEMENTS (name##_items) }

WORDS (given_names,
       "Zoë", "Chloé", "José", "Jürgen", "Søren", "Łukasz", "François", "Anaïs", "Björn",
       "Ingrid", "Mónica", "Răzvan", "Dóra", "Ágnes", "Renée", "Hélène", "Çağla", "Kübra",
       "Oğuz", "Jiří", "Tomáš", "Zuzana", "Małgorzata", "Paweł", "Agnieszka", "Åsa", "Mårten",
       "Liv", "Sigrún", "Þór", "Guðrún", "Eva", "Anna", "Maria", "Sofia", "Emma", "Léa",
       "Lucía", "Martina", "Giulia", "Chiara", "Francesca", "Luca", "Marco", "Matteo",
       "Alessandro", "Lorenzo", "Andrea", "Paolo", "Giovanni", "Pierre", "Jean", "Louis",
       "Antoine", "Émile", "Théo", "Noémie", "Camille", "Manon", "Inès", "Lukas", "Jonas",
       "Leon", "Felix", "Maximilian", "Paul", "Lena", "Lea", "Hannah", "Mia", "Johanna",
       "Jörg", "Björk", "Ole", "Henrik", "Mikkel", "Astrid", "Freja", "Nils", "Lars", "Karin",
       "Daniel", "David", "Samuel", "Oliver", "Jack", "Harry", "George", "Charlotte",
       "Amelia", "Olivia", "Isla", "Grace", "Sophie", "Ava", "Ethan", "Noah", "Liam",
       "Mateo", "Santiago", "Álvaro", "Sebastián", "Nicolás", "Martín", "Valentina", "Lucas",
       "João", "Gonçalo", "Inês", "Beatriz", "Mariana", "Conceição", "Aoife", "Siobhán",
       "Seán", "Niamh", "Ciarán", "Eoin", "Mehmet", "Ayşe", "Fatma", "Ahmet", "Emre", "Yusuf",
       "Nikola", "Milica", "Jovana", "Stefan", "Dragan", "Ivana", "Katarína", "Peter",
       "Miroslav", "Ľubomír", "Gergő", "Zsófia", "Bence", "Réka", "Aino", "Eetu", "Väinö",
       "Jüri", "Mari", "Kristiina", "Raúl", "Ana", "Zoe", "Noa", "Elif", "Ilse", "Dirk",
       "Anouk", "Sanne", "Daan", "Bram", "Fleur");

WORDS (family_names,
       "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
       "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder",
       "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange",
       "Köhler", "Groß", "Weiß", "Jäger", "Böhm", "Martin", "Bernard", "Dubois", "Thomas",
       "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre",
       "Michel", "García", "Fernández", "González", "Rodríguez", "López", "Martínez",
       "Sánchez", "Pérez", "Gómez", "Jiménez", "Núñez", "Muñoz", "Álvarez", "Rossi", "Russo",
       "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
       "Bruno", "Gallo", "Conti", "De Luca", "Smith", "Jones", "Williams", "Taylor", "Brown",
       "Davies", "Evans", "Wilson", "Johnson", "Roberts", "Walker", "Wright", "Thompson",
       "O'Brien", "Ó Súilleabháin", "Murphy", "Kelly", "Byrne", "Ryan", "Andersson",
       "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
       "Svensson", "Gustafsson", "Ångström", "Lindqvist", "Sjöberg", "Åberg", "Jensen",
       "Nielsen", "Hansen", "Pedersen", "Sørensen", "Rasmussen", "Jørgensen", "Møller",
       "Øvergaard", "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński",
       "Lewandowski", "Zieliński", "Szymański", "Dvořák", "Novák", "Svoboda", "Novotný",
       "Procházka", "Černý", "Kučera", "Veselý", "Horváth", "Nagy", "Kovács", "Tóth", "Szabó",
       "Kiss", "Varga", "Molnár", "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız",
       "Öztürk", "Aydın", "Popescu", "Ionescu", "Stoica", "Dumitrescu", "Silva", "Santos",
       "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Gonçalves", "Magalhães",
       "Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Hämäläinen", "Jovanović", "Petrović",
       "Nikolić", "Marković", "Đorđević", "De Vries", "Van Dijk", "Bakker", "Janssen",
       "Visser", "Smit", "Meijer", "De Jong", "Van den Berg", "Mulder", "Tamm", "Saar",
       "Sepp", "Jónsson", "Sigurðsdóttir", "Guðmundsson", "Papadopoulos", "Nováková");

WORDS (org_words,
       "Nordlicht", "Alpen", "Sonnen", "Rhein", "Atlantik", "Baltic", "Danube", "Adria",
       "Fjord", "Mistral", "Sirocco", "Polar", "Zenit", "Horizont", "Aurora", "Boréal",
       "Lumière", "Étoile", "Côte", "Brücken", "Eichen", "Linden", "Birken", "Tannen", "Kiefer",
       "Granit", "Marmor", "Kristall", "Silber", "Kupfer", "Eisen", "Stahl", "Glas", "Papier",
       "Holz", "Stein", "Wasser", "Feuer", "Wind", "Blitz", "Falke", "Adler", "Kranich",
       "Möwe", "Luchs", "Fuchs", "Bär", "Hirsch", "Delfin", "Orca", "Tiger", "Lynx", "Vega",
       "Orion", "Sirius", "Nova", "Astra", "Helios", "Selene", "Gaia", "Terra", "Marina",
       "Bosque", "Montaña", "Río", "Sierra", "Costa Azul", "Vesuvio", "Dolomiti", "Toscana",
       "Bergen", "Göta", "Skåne", "Øresund", "Jylland", "Mälar", "Vättern", "Tatra", "Karkonosze",
       "Morava", "Vltava", "Balaton", "Tisza", "Olt", "Douro", "Tejo", "Minho", "Liffey",
       "Shannon", "Thames", "Severn", "Clyde", "Tay", "Zuiderzee", "Maas", "Schelde");

WORDS (org_kinds,
       "Logistik", "Maschinenbau", "Software", "Consulting", "Handel", "Bau", "Energie",
       "Medien", "Foods", "Textil", "Pharma", "Systems", "Solutions", "Technologies",
       "Industries", "Trading", "Design", "Labs", "Analytics", "Robotics", "Médical",
       "Électrique", "Ingeniería", "Construcciones", "Alimentación", "Servizi", "Impianti",
       "Automazione", "Verkstad", "Teknik", "Bygg", "Transport", "Shipping", "Freight",
       "Packaging", "Print", "Optics", "Audio", "Furniture", "Möbel", "Küchen", "Garten");

WORDS (org_suffixes,
       "GmbH", "AG", "KG", "GmbH & Co. KG", "Ltd", "PLC", "LLP", "SARL", "SAS", "S.A.",
       "S.L.", "S.p.A.", "S.r.l.", "AB", "A/S", "ApS", "Oy", "AS", "BV", "NV", "sp. z o.o.",
       "s.r.o.", "Kft.", "SRL", "Lda.", "e.K.", "Co.", "Group", "Holding");

WORDS (cities,
       "Berlin", "München", "Köln", "Düsseldorf", "Zürich", "Wien", "Graz", "Paris", "Lyon",
       "Marseille", "Genève", "Bruxelles", "Liège", "Madrid", "Barcelona", "Sevilla", "Málaga",
       "Valencia", "Lisboa", "Porto", "Roma", "Milano", "Torino", "Napoli", "Firenze", "London",
       "Manchester", "Edinburgh", "Dublin", "Cork", "Amsterdam", "Rotterdam", "Utrecht",
       "København", "Aarhus", "Stockholm", "Göteborg", "Malmö", "Oslo", "Bergen", "Helsinki",
       "Tampere", "Tallinn", "Riga", "Vilnius", "Warszawa", "Kraków", "Gdańsk", "Praha", "Brno",
       "Bratislava", "Budapest", "Ljubljana", "Zagreb", "Beograd", "București", "Cluj-Napoca",
       "Athína", "Thessaloníki", "İstanbul", "İzmir", "Reykjavík");

WORDS (streets,
       "Hauptstraße", "Bahnhofstraße", "Gartenweg", "Rue de la Paix", "Rue Lafayette",
       "Calle Mayor", "Gran Vía", "Via Roma", "Corso Italia", "High Street", "Station Road",
       "Church Lane", "Storgatan", "Drottninggatan", "Nørregade", "Kerkstraat", "Dorpsstraat",
       "ulica Długa", "Náměstí Míru", "Fő utca", "Strada Mare", "Avenida da Liberdade",
       "Karl Johans gate", "Mannerheimintie", "Laugavegur");

WORDS (tags,
       "vip", "newsletter", "trade-fair", "berlin-expo", "key-account", "reseller",
       "distributor", "end-customer", "public-sector", "healthcare", "automotive", "retail",
       "hospitality", "education", "manufacturing", "logistics", "finance", "energy",
       "referral", "webinar", "beta", "enterprise", "smb", "startup", "renewal-2026",
       "upsell", "churn-risk", "press", "investor", "supplier", "golf", "christmas-card");

WORDS (job_titles,
       "CEO", "CFO", "CTO", "Managing Director", "Geschäftsführerin", "Geschäftsführer",
       "Head of Purchasing", "Einkaufsleiter", "Procurement Manager", "Office Manager",
       "Operations Manager", "Responsable des achats", "Directrice commerciale",
       "Jefe de compras", "Director de operaciones", "Responsabile acquisti",
       "Inköpschef", "IT Manager", "Plant Manager", "Logistics Coordinator",
       "Project Manager", "Accountant", "Controller", "Marketing Manager", "Sales Manager",
       "Technical Lead", "Quality Manager", "Assistant", "Owner", "Consultant");

WORDS (topics,
       "the renewal", "the invoice", "the quote", "pricing", "delivery dates", "the contract",
       "the new catalogue", "installation", "training", "the pilot project", "a discount",
       "the spare parts", "the maintenance plan", "onboarding", "the framework agreement",
       "payment terms", "the trade fair", "a product demo", "the annual review",
       "shipping damage", "the warranty", "custom packaging", "the service level", "budget 2026",
       "their expansion", "a reference visit", "the tender", "certification", "the roadmap",
       "a replacement order");

WORDS (products,
       "Kestrel 200", "Kestrel 300", "Heron X", "Heron Mini", "Osprey Pro", "Falcon Suite",
       "Merlin Cloud", "Lark Sensor", "Wren Kit", "Swift Connector", "Puffin Pack",
       "Avocet Drive", "Plover Panel", "Tern Gateway", "Curlew Care");

WORDS (note_openers,
       "Prefers to be called in the morning.", "Decision maker is the owner.",
       "Budget is approved for next quarter.", "Met at the trade fair.",
       "Very price sensitive.", "Loyal customer since the start.",
       "Wants everything in writing.", "Speaks German, French and English.",
       "Introduced by a partner.", "Asked not to be called on Fridays.",
       "Currently evaluating a competitor.", "Has a new procurement process.",
       "Needs approval from headquarters.", "Happy with the last delivery.",
       "Complained about response times last year.", "Interested in a long-term contract.",
       "Their fiscal year ends in June.", "Rollout planned for several sites.",
       "Bought the starter package.", "Likes detailed technical documentation.");

WORDS (note_details,
       "Follow up after the holidays.", "Send the updated price list.",
       "Check stock before promising dates.", "Invite to the customer day.",
       "Mention the extended warranty.", "Loop in the service team.",
       "Do not discount below list price.", "Ask about their second warehouse.",
       "Birthday card goes out in spring.", "Keep finance in copy.",
       "They like short emails.", "Offer a site visit.", "Prepare a reference case.",
       "Remind them of the training dates.", "Confirm the delivery address.");

WORDS (complaints,
       "Delivery arrived damaged", "Invoice amount is wrong", "Waited too long for a callback",
       "Spare part does not fit", "Installation was delayed twice",
       "Product stopped working after a week", "Wrong items in the shipment",
       "Nobody answered the support line", "Training was cancelled at short notice",
       "Price increase was not announced", "Feedback on the new portal",
       "Suggestion for the catalogue", "Praise for the service technician",
       "Feedback on delivery times", "Missing documentation in the package");

WORDS (promises,
       "Send the revised quote", "Deliver the replacement part", "Call back with delivery dates",
       "Arrange an on-site training", "Credit the overcharged amount", "Ship the samples",
       "Share the technical specification", "Schedule the installation",
       "Provide a reference contact", "Extend the trial by a month", "Fix the invoice address",
       "Send the signed contract", "Set up the customer portal access",
       "Check the warranty claim", "Deliver the spare parts kit");

WORDS (reminder_titles,
       "Follow up on the quote", "Call about the renewal", "Check in after delivery",
       "Send the catalogue", "Ask for a reference", "Confirm the meeting",
       "Check payment status", "Invite to the webinar", "Plan the annual review",
       "Ask about their expansion plans", "Offer the upgrade", "Thank for the order",
       "Ask how the training went", "Schedule a site visit", "Send season's greetings");

WORDS (mail_domains,
       "mail.example", "post.example", "web.example", "inbox.example", "online.example",
       "correo.example", "posta.example", "courriel.example");

WORDS (user_names,
       "Amélie Fournier", "Bastian Kröger", "Carla Ortiz", "Dmitri Volkov", "Elin Nyström",
       "Farid Haddad", "Greta Lindholm", "Hugo Lefebvre", "Irene Castellano", "Janek Nowicki",
       "Katrin Vogel", "Lorenzo Bellini", "Maja Kovač", "Niklas Brandt", "Oona Laaksonen",
       "Pablo Ruiz", "Quentin Marchand", "Rosa Oliveira", "Sven Aalto", "Tülay Erdoğan",
       "Ulrike Sommer", "Viktor Horák", "Wiebke Janssen", "Xavier Puig");

#undef WORDS

const char *
rapport_gen_pick (RapportRng *rng, const RapportWordList *list)
{
  return list->items[rapport_rng_below (rng, list->n_items)];
}

char *
rapport_gen_summary (RapportRng *rng, const char *kind)
{
  const char *topic = rapport_gen_pick (rng, &rapport_gen_topics);
  const char *product = rapport_gen_pick (rng, &rapport_gen_products);

  if (g_str_equal (kind, "call"))
    return g_strdup_printf ("Call about %s", topic);
  if (g_str_equal (kind, "email"))
    return g_strdup_printf ("Email regarding %s", topic);
  if (g_str_equal (kind, "meeting"))
    return g_strdup_printf ("Meeting on %s and the %s", topic, product);
  if (g_str_equal (kind, "message"))
    return g_strdup_printf ("Message: question on %s", topic);
  if (g_str_equal (kind, "social"))
    return g_strdup_printf ("Mentioned the %s online", product);
  if (g_str_equal (kind, "visit"))
    return g_strdup_printf ("Visit in %s: %s", rapport_gen_pick (rng, &rapport_gen_cities), topic);
  if (g_str_equal (kind, "delivery"))
    return g_strdup_printf ("Delivered %u × %s", rapport_rng_below (rng, 40) + 1, product);
  if (g_str_equal (kind, "support"))
    return g_strdup_printf ("Support case: %s with the %s", topic, product);
  if (g_str_equal (kind, "complaint") || g_str_equal (kind, "feedback"))
    return g_strdup (rapport_gen_pick (rng, &rapport_gen_complaints));
  return g_strdup_printf ("Talked about %s", topic);
}

char *
rapport_gen_phone (RapportRng *rng, guint country)
{
  guint a = rapport_rng_below (rng, 900) + 100;
  guint b = rapport_rng_below (rng, 9000) + 1000;
  guint c = rapport_rng_below (rng, 9000) + 1000;
  gboolean international = rapport_rng_percent (rng, 60);

  switch (country % 5)
    {
    case 0: /* Germany */
      return international ? g_strdup_printf ("+49 %u %u%u", a, b, c % 100)
                           : g_strdup_printf ("0%u / %u-%u", a, b, c % 100);
    case 1: /* United Kingdom */
      return international ? g_strdup_printf ("+44 20 %u %u", b, c)
                           : g_strdup_printf ("020 %u %u", b, c);
    case 2: /* France */
      return international ? g_strdup_printf ("+33 1 %02u %02u %02u %02u", a % 100, b % 100,
                                              c % 100, (a + c) % 100)
                           : g_strdup_printf ("01.%02u.%02u.%02u.%02u", a % 100, b % 100, c % 100,
                                              (a + c) % 100);
    case 3: /* Spain */
      return international ? g_strdup_printf ("+34 91 %u %02u %02u", a, b % 100, c % 100)
                           : g_strdup_printf ("(91) %u-%u", a, b);
    default: /* Sweden */
      return international ? g_strdup_printf ("+46 8 %u %u", b, c)
                           : g_strdup_printf ("08-%u %u", b, c);
    }
}
