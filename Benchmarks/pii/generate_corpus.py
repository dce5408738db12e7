#!/usr/bin/env python3
"""A labelled, synthetic PII corpus for the detection benchmark.

    generate_corpus.py --lines N --seed S --out FILE

Writes JSON Lines: {"text": "...", "entities": [{"type": T, "start": s, "end": e}, ...]} with start/end in
Unicode scalar offsets (Python str indices), end exclusive, entities sorted by start and never overlapping.
The same seed gives the same file (for the same faker version, which supplies the person names: pinned in
requirements.txt). Every line is checked before it is written: text[start:end] is exactly the value that
was inserted for each entity.

Types: EMAIL, PHONE, CREDIT_CARD, IBAN, IP_ADDRESS, MAC_ADDRESS, US_SSN, URL, DATE, CRYPTO, PERSON,
STREET_ADDRESS. What a span covers:
  PERSON          first + last name; a title before it ("Dr.", "Mrs.", "Herr") is not part of the span.
  STREET_ADDRESS  house number + street name + street suffix (+ a directional like NW); a city, state or
                  postcode that follows after a comma is not part of the span.
  DATE            a calendar date with at least a month and a day (2024-03-01, March 1, 2024, 1st March);
                  a time of day that follows (log lines) is not part of the span; times alone, bare month
                  names and years are not dates.
  URL             with or without a scheme; trailing sentence punctuation is not part of the span.
About 15% of the lines are hard negatives with no label at all: Luhn-failing card-like numbers, IBANs with
wrong check digits, invalid SSN-like numbers, version strings, IP-like numbers out of range, order numbers,
prices, times, ISBNs, and words like "Will", "May", "Rose" used as ordinary words.
"""
import argparse
import datetime
import hashlib
import ipaddress
import json
import random
import re
import sys
import unicodedata

TYPES = ["EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "IP_ADDRESS", "MAC_ADDRESS", "US_SSN", "URL", "DATE",
         "CRYPTO", "PERSON", "STREET_ADDRESS"]
LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL"]

# ---------------------------------------------------------------------------------------------------
# Word lists (written for this corpus)

WORDS = ["alpha", "orbit", "pixel", "maple", "harbor", "cobalt", "lumen", "vertex", "sparrow", "quartz",
         "nimbus", "atlas", "ember", "falcon", "willow", "granite", "delta", "prairie", "juniper", "meadow",
         "copper", "summit", "tundra", "zephyr", "canyon", "lotus", "beacon", "cedar", "fjord", "glacier"]
COMPANY_WORDS = ["acme", "globex", "initech", "northwind", "contoso", "umbrella", "stark", "wayne", "tyrell",
                 "vandelay", "hooli", "piedpiper", "soylent", "cyberdyne", "wonka", "gringotts", "oceanic",
                 "blueharbor", "brightline", "kestrel", "lumina", "redwood", "silverleaf", "tidewater"]
TLDS = ["com", "org", "net", "io", "de", "fr", "nl", "es", "it", "ch", "be", "co.uk", "eu", "dev", "app",
        "info", "biz", "us", "ca", "com.au"]
MAIL_PROVIDERS = ["gmail.com", "outlook.com", "yahoo.com", "yahoo.co.uk", "hotmail.fr", "gmx.de", "web.de",
                  "orange.fr", "libero.it", "proton.me", "icloud.com", "ziggo.nl", "telefonica.es", "bluewin.ch",
                  "skynet.be", "aol.com", "mail.com", "fastmail.fm", "zoho.com", "t-online.de"]
MAIL_ROLES = ["info", "support", "contact", "hello", "noreply", "billing", "sales", "admin", "jobs", "press",
              "privacy", "security", "team", "office", "hr"]
TITLES = {"any": ["Dr.", "Prof.", "Mx.", "Dott."], "male": ["Mr.", "Herr", "M.", "Sr.", "Dhr.", "Sir"],
          "female": ["Mrs.", "Ms.", "Frau", "Mme", "Sra.", "Mevr.", "Dame"]}
STREET_NAMES = ["Baker", "Pennsylvania", "Main", "Oak", "Maple", "Elm", "Cedar", "Pine", "Park", "Lake",
                "Hill", "Church", "High", "Station", "Mill", "King", "Queen", "Victoria", "Washington",
                "Lincoln", "Jefferson", "Madison", "Franklin", "Highland", "Sunset", "Riverside", "Willow",
                "Chestnut", "Walnut", "Spruce", "Birch", "Magnolia", "Meadow", "Forest", "Spring", "Valley",
                "Orchard", "Harbor", "Bay", "Ocean", "Prospect", "Union", "Market", "Broad", "Water",
                "Bridge", "Castle", "Abbey", "Green", "Grove", "Kensington", "Portobello", "Abbey Road",
                "Mulberry", "Sycamore", "Hawthorn", "Juniper", "Poplar", "Ash", "Laurel", "Colonial",
                "Heritage", "Liberty", "Independence", "Commerce", "Industrial", "College", "University",
                "Academy", "Greenwood", "Fairview", "Westminster", "Dover", "Canterbury", "Oxford",
                "Cambridge", "Mission", "Valencia", "Divisadero", "Lombard", "Peachtree", "Bourbon"]
STREET_SUFFIXES = ["Street", "St", "Avenue", "Ave", "Road", "Rd", "Boulevard", "Blvd", "Lane", "Ln", "Drive",
                   "Court", "Ct", "Place", "Pl", "Way", "Terrace", "Crescent", "Close", "Parkway", "Square",
                   "Highway", "Row", "Mews", "Circle", "Trail", "Gardens", "Walk"]
DIRECTIONALS = ["NW", "NE", "SW", "SE", "N", "S", "E", "W"]
CITIES = [("Springfield", "IL", "62704"), ("Boston", "MA", "02118"), ("Austin", "TX", "78701"),
          ("Portland", "OR", "97205"), ("Denver", "CO", "80202"), ("Madison", "WI", "53703"),
          ("Washington", "DC", "20500"), ("Seattle", "WA", "98101"), ("Savannah", "GA", "31401"),
          ("Burlington", "VT", "05401")]
UK_CITIES = [("London", "NW1 6XE"), ("Manchester", "M1 1AE"), ("Leeds", "LS1 4DY"), ("Bristol", "BS1 5TR"),
             ("Edinburgh", "EH1 1YZ"), ("Cardiff", "CF10 1EP"), ("York", "YO1 7HH")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
PRODUCTS = ["wireless headphones", "standing desk", "coffee grinder", "running shoes", "yoga mat",
            "phone case", "mechanical keyboard", "air fryer", "backpack", "desk lamp", "water bottle",
            "e-reader", "monitor arm", "blender", "winter jacket", "smartwatch"]
EMOJI = ["😀", "😂", "🙏", "🎉", "👍", "👍🏽", "❤️", "🔥", "✅", "📞", "📧", "🏠", "💳", "🇩🇪", "🇫🇷", "👨‍👩‍👧",
         "🤔", "😅", "🚀", "☕"]

# ---------------------------------------------------------------------------------------------------
# Value generators. Each returns a list of (text, type-or-None) segments.


class Gen:
    def __init__(self, rng, names):
        self.r = rng
        self.names = names  # locale -> (first names, last names)

    # --- helpers
    def digits(self, n):
        return "".join(self.r.choice("0123456789") for _ in range(n))

    def pick(self, seq):
        return self.r.choice(seq)

    def name_parts(self, sex=None):
        loc = self.pick(LOCALES)
        females, males, lasts = self.names[loc]
        sex = sex or self.pick(["female", "male"])
        return self.pick(females if sex == "female" else males), self.pick(lasts)

    # --- PERSON
    def person(self, sex=None):
        first, last = self.name_parts(sex)
        return [(f"{first} {last}", "PERSON")]

    def titled_person(self):
        sex = self.pick(["female", "male"])
        title = self.pick(TITLES["any"] + TITLES[sex])
        return [(title + " ", None)] + self.person(sex)

    # --- EMAIL
    def email(self):
        first, last = (ascii_fold(p) for p in self.name_parts())
        r = self.r
        style = r.randrange(10)
        if style == 0:
            local = f"{first}.{last}"
        elif style == 1:
            local = f"{first[0]}{last}"
        elif style == 2:
            local = f"{first}{r.randint(1, 99)}"
        elif style == 3:
            local = f"{last}.{first}"
        elif style == 4:
            local = f"{first}_{last}"
        elif style == 5:
            local = f"{self.pick(WORDS)}{r.randint(1, 9999)}"
        elif style == 6:
            local = f"{first}+{self.pick(WORDS)}"
        elif style == 7:
            local = self.pick(MAIL_ROLES)
        elif style == 8:
            local = f"{first[0]}.{last}{r.randint(70, 99)}"
        else:
            local = f"{last}-{first}"
        if r.random() < 0.45:
            domain = self.pick(MAIL_PROVIDERS)
        else:
            domain = self.company_domain()
        if r.random() < 0.06:  # First.Last@example.com
            local = "".join(c.upper() if i == 0 or local[i - 1] in "._-" else c for i, c in enumerate(local))
        return [(f"{local}@{domain}", "EMAIL")]

    def company_domain(self):
        r = self.r
        base = self.pick(COMPANY_WORDS)
        if r.random() < 0.3:
            base += self.pick(["-corp", "-labs", "-group", "shop", "-tech", "hq", "-mail"])
        dom = f"{base}.{self.pick(TLDS)}"
        if r.random() < 0.15:
            dom = f"{self.pick(['mail', 'eu', 'us', 'support', 'corp'])}.{dom}"
        return dom

    # --- PHONE
    US_AREA = ["201", "202", "206", "212", "213", "214", "303", "305", "312", "313", "404", "408", "415",
               "503", "512", "602", "617", "646", "702", "713", "718", "773", "786", "808", "818", "917",
               "919", "971"]

    def phone(self):
        kind = self.r.choice(["us", "us", "us", "e164", "uk", "uk", "de", "de", "fr", "fr", "intl"])
        return [(getattr(self, "phone_" + kind)(), "PHONE")]

    def _us_parts(self):
        r = self.r
        area = self.pick(self.US_AREA)
        exch = str(r.randint(2, 9)) + self.digits(2)
        if exch[1:] == "11":
            exch = exch[0] + "23"
        if r.random() < 0.3:
            exch, line = "555", "01" + self.digits(2)
        else:
            line = self.digits(4)
        return area, exch, line

    def phone_us(self):
        a, e, l = self._us_parts()
        fmt = self.r.randrange(7)
        return [f"({a}) {e}-{l}", f"{a}-{e}-{l}", f"{a}.{e}.{l}", f"1-{a}-{e}-{l}", f"+1 {a} {e} {l}",
                f"+1 ({a}) {e}-{l}", f"+1-{a}-{e}-{l}"][fmt]

    def phone_e164(self):
        r = self.r
        cc = r.choice(["us", "gb", "de", "fr", "nl", "es", "it"])
        if cc == "us":
            a, e, l = self._us_parts()
            return f"+1{a}{e}{l}"
        if cc == "gb":
            return "+44" + r.choice(["20" + r.choice("378") + self.digits(7), "7" + r.choice("3456789") + self.digits(8),
                                     "161" + r.choice("2345") + self.digits(6)])
        if cc == "de":
            return "+49" + r.choice(["30" + self.digits(8), "89" + self.digits(7), "15" + r.choice("1279") + self.digits(8),
                                     "17" + r.choice("0123456789") + self.digits(7)])
        if cc == "fr":
            return "+33" + r.choice("1234567") + self.digits(8)
        if cc == "nl":
            return "+31" + r.choice(["20", "10", "70", "6" + r.choice("12345")]) + self.digits(7)
        if cc == "es":
            return "+34" + r.choice("69") + self.digits(8)
        return "+39" + r.choice(["06", "02"]) + self.digits(8)

    def phone_uk(self):
        r = self.r
        kind = r.randrange(6)
        if kind == 0:
            return f"+44 20 {r.choice('378')}{self.digits(3)} {self.digits(4)}"
        if kind == 1:
            return f"020 {r.choice('378')}{self.digits(3)} {self.digits(4)}"
        if kind == 2:
            return f"07{r.choice('3456789')}{self.digits(2)} {self.digits(6)}"
        if kind == 3:
            return f"+44 7{r.choice('3456789')}{self.digits(2)} {self.digits(6)}"
        if kind == 4:
            return f"0161 {r.choice('2345')}{self.digits(2)} {self.digits(4)}"
        return f"+44 (0)20 {r.choice('378')}{self.digits(3)} {self.digits(4)}"

    def phone_de(self):
        r = self.r
        area = r.choice(["30", "40", "69", "89", "221", "211", "711", "351", "341", "511"])
        sub = self.digits(8 - len(area) + 1) if len(area) == 3 else self.digits(r.choice([6, 7, 8]))
        kind = r.randrange(7)
        if kind == 0:
            return f"+49 {area} {sub}"
        if kind == 1:
            return f"0{area} {sub}"
        if kind == 2:
            return f"0{area}/{sub}"
        if kind == 3:
            return f"(0{area}) {sub}"
        mob = r.choice(["151", "152", "157", "160", "170", "171", "172", "176", "178"])
        if kind == 4:
            return f"+49 {mob} {self.digits(8)}"
        if kind == 5:
            return f"0{mob} {self.digits(8)}"
        return f"+49 ({area}) {sub}"

    def phone_fr(self):
        r = self.r
        first = r.choice("1234567")
        pairs = [self.digits(2) for _ in range(4)]
        kind = r.randrange(5)
        if kind == 0:
            return f"0{first} " + " ".join(pairs)
        if kind == 1:
            return f"+33 {first} " + " ".join(pairs)
        if kind == 2:
            return f"0{first}." + ".".join(pairs)
        if kind == 3:
            return f"0{first}{''.join(pairs)}"
        return f"+33 (0){first} " + " ".join(pairs)

    def phone_intl(self):
        r = self.r
        return r.choice([f"+31 20 {self.digits(3)} {self.digits(4)}", f"+31 6 {self.digits(8)}",
                         f"+34 {r.choice('69')}{self.digits(2)} {self.digits(3)} {self.digits(3)}",
                         f"+39 06 {self.digits(4)} {self.digits(4)}", f"+39 3{self.digits(2)} {self.digits(7)}",
                         f"+41 44 {self.digits(3)} {self.digits(2)} {self.digits(2)}",
                         f"+32 2 {self.digits(3)} {self.digits(2)} {self.digits(2)}",
                         f"+43 1 {self.digits(7)}", f"+353 1 {self.digits(3)} {self.digits(4)}"])

    # --- CREDIT_CARD
    def card_digits(self, valid=True):
        r = self.r
        brand = r.choice(["visa", "visa", "mc", "mc2", "amex", "discover", "discover65"])
        if brand == "visa":
            prefix, n = "4", 16
        elif brand == "mc":
            prefix, n = str(r.randint(51, 55)), 16
        elif brand == "mc2":
            prefix, n = str(r.randint(2221, 2720)), 16
        elif brand == "amex":
            prefix, n = r.choice(["34", "37"]), 15
        elif brand == "discover":
            prefix, n = "6011", 16
        else:
            prefix, n = "65", 16
        body = prefix + self.digits(n - len(prefix) - 1)
        check = luhn_check_digit(body)
        if not valid:
            check = (check + r.randint(1, 9)) % 10
        return body + str(check)

    def format_card(self, num):
        r = self.r
        sep = r.choice([" ", " ", "-", ""])
        if len(num) == 15:
            groups = [num[:4], num[4:10], num[10:]]
        else:
            groups = [num[i:i + 4] for i in range(0, 16, 4)]
        return sep.join(groups)

    def card(self):
        return [(self.format_card(self.card_digits()), "CREDIT_CARD")]

    # --- IBAN
    def iban_parts(self):
        r = self.r
        cc = r.choice(["DE", "GB", "FR", "NL", "ES", "IT", "CH", "BE", "AT", "PL"])
        if cc == "DE":
            bban = self.digits(8) + self.digits(10)
        elif cc == "GB":
            bban = r.choice(["NWBK", "BARC", "LOYD", "HBUK", "MIDL", "NAIA", "MONZ"]) + self.digits(6) + self.digits(8)
        elif cc == "FR":
            bank, branch, acct = self.digits(5), self.digits(5), self.digits(11)
            key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(acct)) % 97
            bban = f"{bank}{branch}{acct}{key:02d}"
        elif cc == "NL":
            bban = r.choice(["ABNA", "INGB", "RABO", "TRIO", "SNSB", "KNAB", "ASNB", "BUNQ"]) + self.digits(10)
        elif cc == "ES":
            bank, branch, acct = self.digits(4), self.digits(4), self.digits(10)
            bban = bank + branch + spanish_dc(bank, branch, acct) + acct
        elif cc == "IT":
            bban = r.choice("ABCDEFGHIJKLMNOPRSTUVWXYZ") + self.digits(5) + self.digits(5) + self.digits(12)
        elif cc == "CH":
            bban = self.digits(5) + self.digits(12)
        elif cc == "BE":
            first10 = self.digits(10)
            chk = int(first10) % 97 or 97
            bban = f"{first10}{chk:02d}"
        elif cc == "AT":
            bban = self.digits(5) + self.digits(11)
        else:
            bban = self.digits(8) + self.digits(16)
        assert len(cc) + 2 + len(bban) == IBAN_LENGTHS[cc], cc
        return cc, bban

    def format_iban(self, value):
        if self.r.random() < 0.5:
            return " ".join(value[i:i + 4] for i in range(0, len(value), 4))
        return value

    def iban(self):
        cc, bban = self.iban_parts()
        value = cc + iban_check_digits(cc, bban) + bban
        assert iban_valid(value)
        return [(self.format_iban(value), "IBAN")]

    # --- IP_ADDRESS
    def ip(self):
        return self.ip4() if self.r.random() < 0.6 else self.ip6()

    def ip4(self):
        r = self.r
        kind = r.randrange(5)
        if kind == 0:
            v = f"192.168.{r.randint(0, 255)}.{r.randint(1, 254)}"
        elif kind == 1:
            v = f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        elif kind == 2:
            v = f"172.{r.randint(16, 31)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        else:
            v = f"{r.randint(1, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        return [(v, "IP_ADDRESS")]

    def ip6(self):
        r = self.r
        kind = r.randrange(10)
        if kind == 0:
            return [("::1", "IP_ADDRESS")]
        if kind == 1:
            return [(f"::ffff:{r.randint(1, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}", "IP_ADDRESS")]
        prefix = r.choice([[0x2001, 0x0db8], [0xfe80, 0, 0, 0], [0x2a00, 0x1450], [0x2606, 0x4700], [0xfd00],
                           [0x2001, 0x0db8, 0x85a3], [0x2a02, r.randint(0, 0xffff)], [0x2600, 0x1f18]])
        groups = list(prefix)
        while len(groups) < 7:
            groups.append(0 if r.random() < 0.35 else r.randint(0, 0xffff))
        groups.append(r.randint(1, 0xffff))
        addr = ipaddress.IPv6Address(sum(g << (16 * (7 - i)) for i, g in enumerate(groups)))
        if kind == 2:
            v = addr.exploded  # full form with leading zeros
        elif kind == 3:
            v = ":".join(f"{g:x}" for g in groups)  # full form, leading zeros dropped, no ::
        else:
            v = addr.compressed
        if r.random() < 0.15:
            v = v.upper()
        return [(v, "IP_ADDRESS")]

    # --- MAC_ADDRESS
    def mac(self):
        r = self.r
        b = [r.randint(0, 255) for _ in range(6)]
        kind = r.randrange(6)
        if kind in (0, 1):
            v = ":".join(f"{x:02x}" for x in b)
        elif kind == 2:
            v = ":".join(f"{x:02X}" for x in b)
        elif kind == 3:
            v = "-".join(f"{x:02X}" for x in b)
        elif kind == 4:
            v = "-".join(f"{x:02x}" for x in b)
        else:
            h = "".join(f"{x:02x}" for x in b)
            v = f"{h[0:4]}.{h[4:8]}.{h[8:12]}"
        return [(v, "MAC_ADDRESS")]

    # --- US_SSN
    def ssn(self):
        r = self.r
        while True:
            area = r.randint(1, 899)
            if area != 666:
                break
        group, serial = r.randint(1, 99), r.randint(1, 9999)
        sep = r.choice(["-", "-", "-", " "])
        return [(f"{area:03d}{sep}{group:02d}{sep}{serial:04d}", "US_SSN")]

    # --- URL
    def url(self):
        r = self.r
        scheme = r.choice(["https://", "https://", "http://", "", ""])
        domain = self.company_domain() if r.random() < 0.8 else f"{self.pick(WORDS)}{self.pick(['', '-', ''])}{self.pick(WORDS)}.{self.pick(TLDS)}"
        if r.random() < 0.4:
            domain = "www." + domain
        elif r.random() < 0.2:
            domain = self.pick(["docs", "shop", "blog", "api", "app", "status", "help"]) + "." + domain
        path = ""
        if r.random() < 0.65 or (not scheme and not domain.startswith("www.") and r.random() < 0.8):
            segs = [self.pick(["en", "de", "products", "docs", "blog", "2024", "account", "orders", "help",
                               "articles", "p", "u", "download", "api/v2", "users", "search"])]
            for _ in range(r.randint(0, 2)):
                segs.append(r.choice([self.pick(WORDS), self.digits(r.randint(3, 6)),
                                      f"{self.pick(WORDS)}-{self.pick(WORDS)}", "index.html", "view.php",
                                      "report.pdf"]))
            path = "/" + "/".join(segs)
            if r.random() < 0.15:
                path += "/"
        query = ""
        if r.random() < 0.3:
            query = "?" + r.choice([f"q={self.pick(WORDS)}", f"id={self.digits(5)}", f"page={r.randint(2, 40)}",
                                    "utm_source=newsletter&utm_medium=email", f"q={self.pick(WORDS)}+{self.pick(WORDS)}&lang=en",
                                    f"ref={self.pick(WORDS)}&sort=desc"])
        frag = "#" + self.pick(["top", "section-2", "comments", "faq", "pricing"]) if r.random() < 0.08 else ""
        return [(scheme + domain + path + query + frag, "URL")]

    # --- DATE
    def date_value(self, allow_no_year=True):
        r = self.r
        d = datetime.date.fromordinal(r.randint(datetime.date(1950, 1, 1).toordinal(), datetime.date(2031, 12, 31).toordinal()))
        y, m, day = d.year, d.month, d.day
        mon, mon3 = MONTHS[m - 1], MONTHS[m - 1][:3]
        fmts = [f"{y}-{m:02d}-{day:02d}", f"{y}-{m:02d}-{day:02d}", f"{m:02d}/{day:02d}/{y}", f"{m}/{day}/{y}",
                f"{day:02d}.{m:02d}.{y}", f"{day}.{m}.{y}", f"{day:02d}/{m:02d}/{y}", f"{day} {mon} {y}",
                f"{mon} {day}, {y}", f"{mon3} {day}, {y}", f"{day} {mon3} {y}", f"{day}{ordinal(day)} {mon} {y}",
                f"{mon} {day}{ordinal(day)}, {y}", f"{day:02d}-{mon3}-{y}", f"{y}/{m:02d}/{day:02d}",
                f"{WEEKDAYS[d.weekday()]}, {mon} {day}, {y}", f"{m:02d}-{day:02d}-{y}", f"{mon3}. {day}, {y}",
                f"{day:02d}/{m:02d}/{y % 100:02d}", f"{WEEKDAYS[d.weekday()][:3]} {day} {mon3} {y}"]
        if allow_no_year:
            fmts += [f"{mon} {day}", f"{day}{ordinal(day)} {mon}", f"{mon} {day}{ordinal(day)}"]
        return r.choice(fmts)

    def date(self):
        return [(self.date_value(), "DATE")]

    def iso_date(self):
        d = datetime.date.fromordinal(self.r.randint(datetime.date(2015, 1, 1).toordinal(), datetime.date(2030, 12, 31).toordinal()))
        return [(d.isoformat(), "DATE")]

    # --- CRYPTO
    def crypto(self):
        r = self.r
        kind = r.choice(["p2pkh", "p2pkh", "p2sh", "bech32", "bech32", "p2wsh", "taproot", "eth", "eth", "eth"])
        payload = bytes(r.randrange(256) for _ in range(32))
        if kind == "p2pkh":
            v = base58check(b"\x00" + payload[:20])
        elif kind == "p2sh":
            v = base58check(b"\x05" + payload[:20])
        elif kind == "bech32":
            v = segwit_address("bc", 0, payload[:20])
        elif kind == "p2wsh":
            v = segwit_address("bc", 0, payload)
        elif kind == "taproot":
            v = segwit_address("bc", 1, payload)
        else:
            v = "0x" + payload[:20].hex()
        return [(v, "CRYPTO")]

    # --- STREET_ADDRESS
    def address_value(self):
        r = self.r
        num = str(r.randint(1, 9999) if r.random() < 0.7 else r.randint(1, 250))
        if r.random() < 0.1:
            num += r.choice("ABCab")
        if r.random() < 0.12:
            n = r.randint(1, 99)
            name = f"{n}{ordinal(n)}"
        elif r.random() < 0.25:
            name = self.pick(self.names[self.pick(["en_US", "en_GB"])][2])
        else:
            name = self.pick(STREET_NAMES)
        value = f"{num} {name} {self.pick(STREET_SUFFIXES)}"
        if r.random() < 0.1:
            value += " " + self.pick(DIRECTIONALS)
        return value

    def address(self):
        return [(self.address_value(), "STREET_ADDRESS")]

    def address_full(self):
        r = self.r
        segs = self.address()
        if r.random() < 0.5:
            city, state, zipc = self.pick(CITIES)
            tail = r.choice([f", {city}, {state} {zipc}", f", {city} {state} {zipc}", f", {city}"])
        else:
            city, pc = self.pick(UK_CITIES)
            tail = r.choice([f", {city} {pc}", f", {city}"])
        return segs + [(tail, None)]

    # --- unlabelled fillers
    def city(self):
        return [(self.pick([c[0] for c in CITIES] + [c[0] for c in UK_CITIES] + ["Berlin", "Paris", "Madrid",
                 "Rome", "Amsterdam", "Zürich", "Brussels", "München", "Köln", "Sevilla"]), None)]

    def price(self):
        r = self.r
        amt = r.randint(1, 4999) + r.randint(0, 99) / 100
        return [(r.choice([f"${amt:,.2f}", f"€{amt:.2f}", f"£{amt:.2f}", f"{amt:.2f} EUR", f"USD {amt:,.2f}",
                           f"{amt:.2f} €".replace(".", ","), f"${int(amt)}"]), None)]

    def time(self):
        r = self.r
        h, m = r.randint(0, 23), r.choice([0, 5, 10, 15, 20, 30, 45, 50, r.randint(0, 59)])
        return [(r.choice([f"{h:02d}:{m:02d}", f"{h}:{m:02d}", f"{(h % 12) or 12}:{m:02d} {'am' if h < 12 else 'pm'}",
                           f"{h:02d}:{m:02d}:{r.randint(0, 59):02d}"]), None)]

    def logtime(self):
        r = self.r
        return [(f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}", None)]

    def order(self):
        r = self.r
        return [(r.choice([f"#{self.digits(6)}", f"A-{self.digits(5)}", f"{self.digits(3)}-{self.digits(7)}-{self.digits(7)}",
                           f"INC{self.digits(7)}", f"ORD-{r.randint(2019, 2026)}-{self.digits(5)}",
                           f"{self.digits(10)}", f"TKT-{self.digits(4)}"]), None)]

    def version(self):
        r = self.r
        return [(r.choice([f"{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 30)}", f"v{r.randint(1, 5)}.{r.randint(0, 40)}.{r.randint(0, 9)}",
                           f"{r.randint(1, 9)}.{r.randint(0, 9)}.{r.randint(0, 9)}.{r.randint(0, 9)}.{r.randint(0, 9)}",
                           f"10.0.{r.randint(17000, 22999)}.{r.randint(256, 4000)}", f"3.{r.randint(6, 13)}.{r.randint(0, 15)}"]), None)]

    def isbn(self):
        r = self.r
        body = r.choice(["978", "979"]) + self.digits(9)
        check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body)) % 10) % 10
        full = body + str(check)
        return [(r.choice([f"{full[:3]}-{full[3]}-{full[4:6]}-{full[6:12]}-{full[12]}", full]), None)]

    def num(self):
        return [(str(self.r.randint(2, 250)), None)]

    def emoji(self):
        return [(self.pick(EMOJI), None)]

    def product(self):
        return [(self.pick(PRODUCTS), None)]

    def word(self):
        return [(self.pick(WORDS), None)]

    def company(self):
        return [(self.pick(COMPANY_WORDS).capitalize(), None)]

    # --- hard negatives (never labelled)
    def neg_card(self):
        return [(self.format_card(self.card_digits(valid=False)), None)]

    def neg_iban(self):
        cc, bban = self.iban_parts()
        good = int(iban_check_digits(cc, bban))
        while True:
            bad = self.r.randint(2, 98)
            value = f"{cc}{bad:02d}{bban}"
            if bad != good and not iban_valid(value):
                break
        return [(self.format_iban(value), None)]

    def neg_ssn(self):
        r = self.r
        kind = r.randrange(5)
        a, g, s = r.randint(1, 899), r.randint(1, 99), r.randint(1, 9999)
        if kind == 0:
            a = 0
        elif kind == 1:
            a = 666
        elif kind == 2:
            a = r.randint(900, 999)
        elif kind == 3:
            g = 0
        else:
            s = 0
        return [(f"{a:03d}-{g:02d}-{s:04d}", None)]

    def neg_ip(self):
        r = self.r
        return [(r.choice([f"999.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(0, 255)}",
                           f"{r.randint(256, 999)}.{r.randint(256, 999)}.{r.randint(0, 255)}.{r.randint(0, 255)}",
                           f"{r.randint(1, 9)}.{r.randint(1, 9)}.{r.randint(1, 9)}.{r.randint(1, 9)}.{r.randint(1, 9)}"]), None)]

    def neg_date(self):
        r = self.r
        return [(r.choice([f"{r.randint(32, 39)}/{r.randint(13, 19)}/{r.randint(2000, 2030)}",
                           f"{r.randint(2000, 2030)}-{r.randint(13, 19)}-{r.randint(32, 39)}"]), None)]


IBAN_LENGTHS = {"DE": 22, "GB": 22, "FR": 27, "NL": 18, "ES": 24, "IT": 27, "CH": 21, "BE": 16, "AT": 20, "PL": 28}


def ordinal(n):
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def ascii_fold(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("ß", "ss").replace("ø", "o").replace("æ", "ae").replace("ł", "l")
    return "".join(c for c in s.lower() if c.isascii() and c.isalnum()) or "user"


def luhn_check_digit(body):
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:  # these positions are doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def luhn_valid(number):
    return luhn_check_digit(number[:-1]) == int(number[-1])


def iban_numeric(s):
    return int("".join(str(int(c, 36)) for c in s))


def iban_check_digits(cc, bban):
    return f"{98 - iban_numeric(bban + cc + '00') % 97:02d}"


def iban_valid(value):
    v = value.replace(" ", "")
    return len(v) == IBAN_LENGTHS.get(v[:2], -1) and iban_numeric(v[4:] + v[:4]) % 97 == 1


def spanish_dc(bank, branch, acct):
    weights = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]

    def digit(s):
        d = 11 - sum(int(c) * w for c, w in zip(s.rjust(10, "0"), weights)) % 11
        return {10: 1, 11: 0}.get(d, d)
    return f"{digit('00' + bank + branch)}{digit(acct)}"


B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58check(payload):
    data = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, rem = divmod(n, 58)
        out = B58[rem] + out
    zeros = len(data) - len(data.lstrip(b"\x00"))
    return "1" * zeros + out


def base58check_valid(s):
    n = 0
    for c in s:
        n = n * 58 + B58.index(c)
    zeros = len(s) - len(s.lstrip("1"))
    raw = b"\x00" * zeros + (n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b"")
    return hashlib.sha256(hashlib.sha256(raw[:-4]).digest()).digest()[:4] == raw[-4:]


BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
BECH32_CONST, BECH32M_CONST = 1, 0x2BC830A3


def bech32_polymod(values):
    gens = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = ((chk & 0x1FFFFFF) << 5) ^ v
        for i, g in enumerate(gens):
            if (top >> i) & 1:
                chk ^= g
    return chk


def bech32_hrp_expand(hrp):
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def to_5bit(data):
    acc = bits = 0
    out = []
    for b in data:
        acc = (acc << 8) | b
        bits += 8
        while bits >= 5:
            bits -= 5
            out.append((acc >> bits) & 31)
    if bits:
        out.append((acc << (5 - bits)) & 31)
    return out


def segwit_address(hrp, version, program):
    data = [version] + to_5bit(program)
    const = BECH32_CONST if version == 0 else BECH32M_CONST
    pm = bech32_polymod(bech32_hrp_expand(hrp) + data + [0] * 6) ^ const
    checksum = [(pm >> (5 * (5 - i))) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32_CHARSET[d] for d in data + checksum)


def bech32_valid(addr):
    hrp, _, rest = addr.rpartition("1")
    data = [BECH32_CHARSET.index(c) for c in rest]
    return bech32_polymod(bech32_hrp_expand(hrp) + data) in (BECH32_CONST, BECH32M_CONST)


# ---------------------------------------------------------------------------------------------------
# Templates. {TAG} is replaced by a generator's segments; labelled tags are listed in LABELLED.

TAGS = {
    "PERSON": "person", "TPERSON": "titled_person", "EMAIL": "email", "PHONE": "phone", "CARD": "card",
    "IBAN": "iban", "IP": "ip", "IP4": "ip4", "IP6": "ip6", "MAC": "mac", "SSN": "ssn", "URL": "url",
    "DATE": "date", "ISODATE": "iso_date", "CRYPTO": "crypto", "ADDRESS": "address", "ADDRESS_FULL": "address_full",
    "CITY": "city", "PRICE": "price", "TIME": "time", "LOGTIME": "logtime", "ORDER": "order", "VERSION": "version",
    "ISBN": "isbn", "NUM": "num", "EMOJI": "emoji", "PRODUCT": "product", "WORD": "word", "COMPANY": "company",
    "NEG_CARD": "neg_card", "NEG_IBAN": "neg_iban", "NEG_SSN": "neg_ssn", "NEG_IP": "neg_ip", "NEG_DATE": "neg_date",
}
LABELLED = {"PERSON": "PERSON", "TPERSON": "PERSON", "EMAIL": "EMAIL", "PHONE": "PHONE", "CARD": "CREDIT_CARD",
            "IBAN": "IBAN", "IP": "IP_ADDRESS", "IP4": "IP_ADDRESS", "IP6": "IP_ADDRESS", "MAC": "MAC_ADDRESS",
            "SSN": "US_SSN", "URL": "URL", "DATE": "DATE", "ISODATE": "DATE", "CRYPTO": "CRYPTO",
            "ADDRESS": "STREET_ADDRESS", "ADDRESS_FULL": "STREET_ADDRESS"}

ENTITY_TEMPLATES = [
    # chat messages
    "hey, it's {PERSON}, my new number is {PHONE} 😊",
    "can you email me at {EMAIL}? thx",
    "lol just text {PHONE} whenever {EMOJI}",
    "{EMOJI} ping {PERSON} about it, her email is {EMAIL}",
    "my ip keeps showing as {IP} is that normal??",
    "sent u the link: {URL}",
    "meeting moved to {DATE}, can you tell {PERSON}?",
    "wallet for the refund: {CRYPTO}",
    "ok my address is {ADDRESS_FULL} pls don't share",
    "I'm at {ADDRESS} now, call me on {PHONE}",
    "Will {PERSON} be joining us on {DATE}? {EMOJI}",
    "brb, {TPERSON} is calling",
    "{EMOJI} birthday party at {ADDRESS} on {DATE}, RSVP to {EMAIL}",
    # support tickets
    "Ticket {ORDER}: customer {PERSON} ({EMAIL}) reports a double charge on card {CARD}.",
    "Customer called from {PHONE} asking to update billing IBAN to {IBAN}.",
    "Please verify SSN {SSN} for applicant {TPERSON} before {DATE}.",
    "Refund of {PRICE} to IBAN {IBAN} (account holder: {PERSON}).",
    "Device with MAC {MAC} cannot obtain a lease; last seen at {IP}.",
    "User {EMAIL} locked out after 5 failed logins from {IP}.",
    "Escalated to {TPERSON}: card {CARD} was declined on {DATE}.",
    "Caller {PERSON} gave SSN {SSN} and date of birth {DATE}.",
    "Reset link sent to {EMAIL}; request came from {IP6}.",
    "Shipping address changed to {ADDRESS_FULL} by {PERSON} on {DATE}.",
    # search queries
    "who owns {URL}",
    "{PERSON} contact details",
    "how to block {IP}",
    "is {CRYPTO} a scam",
    "{ADDRESS} opening hours",
    "reverse lookup {PHONE}",
    "mac vendor {MAC}",
    "events on {DATE} near me",
    # reviews
    "Great service! {PERSON} helped me set up my {PRODUCT}. {EMOJI}{EMOJI}",
    "Ordered on {DATE}, arrived two weeks late. Contact {EMAIL} was useless.",
    "Terrible. They charged my card {CARD} twice for one {PRODUCT}.",
    "Ask for {TPERSON} at the {ADDRESS} store, she knows everything.",
    "5 stars, see my blog post at {URL}",
    # forms
    "Name: {PERSON}\nEmail: {EMAIL}\nPhone: {PHONE}",
    "Full name: {PERSON} | DOB: {DATE} | SSN: {SSN}",
    "Cardholder: {PERSON}; Card number: {CARD}; Expires: 09/29",
    "IBAN: {IBAN}\nBIC: {WORD}\nAccount holder: {PERSON}",
    "Street: {ADDRESS}\nCity: {CITY}\nPhone: {PHONE}",
    "Website: {URL} — Contact: {EMAIL}",
    "Payout address (BTC/ETH): {CRYPTO}",
    "Emergency contact: {TPERSON}, {PHONE}",
    # log lines
    "{ISODATE} {LOGTIME} INFO login ok user={EMAIL} ip={IP4}",
    "{ISODATE}T{LOGTIME}Z WARN dhcp: lease renewed for {MAC} -> {IP4}",
    "[{ISODATE} {LOGTIME}] GET {URL} 200 from {IP}",
    "sshd[{NUM}]: Failed password for root from {IP6} port 22",
    "kernel: eth0: link up, hwaddr {MAC}",
    "payment-service ERROR card={CARD} reason=insufficient_funds",
    "audit: {PERSON} exported report at {ISODATE} {LOGTIME} from {IP4}",
    "wallet.sweep to={CRYPTO} amount={NUM} status=pending",
    # emails
    "Dear {TPERSON},\nThank you for your order of {DATE}. Questions? Reply to {EMAIL}.",
    "Hi {PERSON},\nplease wire the deposit to {IBAN} by {DATE}.\nBest, {PERSON}",
    "Hello,\nour new office is at {ADDRESS_FULL}. Visit {URL} for directions.\n— {PERSON}",
    "From: {PERSON} <{EMAIL}>\nSubject: invoice {ORDER}\nPlease call {PHONE}.",
    "Kind regards,\n{TPERSON}\n{PHONE} | {URL}",
    "Reminder: your appointment with {TPERSON} is on {DATE} at {TIME}.",
    # Unicode: accented text, emoji and CJK around entities
    "Grüße aus {CITY}! Schreib mir an {EMAIL} 🙂",
    "Très bien, merci {PERSON} ! Mon numéro : {PHONE}",
    "请联系{PERSON}，邮箱 {EMAIL}，电话{PHONE}。",
    "電話番号は{PHONE}です。メールは{EMAIL}までお願いします。",
    "住所：{ADDRESS}（アメリカ）",
    "연락처: {PHONE}, 이메일: {EMAIL}",
    "📧{EMAIL} 📞{PHONE}",
    "🎂 {PERSON} — {DATE} 🎈",
    "Cafe\u0301 cre\u0300me with {PERSON} at {ADDRESS} ☕",
    "支付到 {IBAN} 谢谢",
    "IP地址 {IP} 被封禁了 🚫",
    "👨‍👩‍👧 family plan owner: {PERSON}, card {CARD}",
    "¿Puedes llamar a {PERSON} al {PHONE}? Gracias 🇪🇸",
    "Transfert vers {IBAN} effectué le {DATE} ✅",
    "Bitcoin: {CRYPTO} 🚀",
    "ネットワーク機器 {MAC} のIPは{IP}",
    # multi-entity, dense
    "{PERSON}, {ADDRESS}, {PHONE}, {EMAIL}, SSN {SSN}",
    "Transfer {PRICE} from {IBAN} to {IBAN} on {DATE}",
    "Whitelist {IP} and {IP} for {URL}",
    "{PERSON} and {PERSON} signed on {DATE}.",
    "Pay {CRYPTO} or card {CARD}, receipts to {EMAIL}.",
    # mixed with near misses that stay unlabelled
    "{PERSON} upgraded to version {VERSION} and now sees {IP} in the logs.",
    "Order {ORDER} for {PRICE} ships to {ADDRESS_FULL}.",
    "Book ISBN {ISBN} reserved for {PERSON} until {DATE}.",
    "Your card {CARD} was charged {PRICE} at {TIME}.",
    "The test card {NEG_CARD} failed but {CARD} went through.",
    "SSN {NEG_SSN} is invalid; the correct one is {SSN}.",
    "Old IBAN {NEG_IBAN} bounced, use {IBAN} instead.",
    "May I confirm {PERSON} will attend on {DATE}?",
    "{COMPANY} hired {TPERSON} as CFO, starting {DATE}.",
    "{COMPANY} support: {PHONE} or {EMAIL}, open from {TIME} on weekdays.",
    "Add {MAC} to the allowed devices, owner {PERSON}.",
    "arp -a: ? ({IP4}) at {MAC} [ether] on wlan0",
    "Wi-Fi client {MAC} roamed to AP-{NUM} at {TIME}",
    "my social is {SSN}, can you fix my tax form?",
    "W-2 for {PERSON}, SSN {SSN}, mailed to {ADDRESS_FULL}",
    "ssn: {SSN}",
    "check out {URL} 🔥",
    "To unsubscribe, visit {URL}.",
    "Donations welcome (BTC or ETH): {CRYPTO} 🙏",
    "Bitte überweisen Sie {PRICE} bis zum {DATE} auf {IBAN}.",
]

NEGATIVE_TEMPLATES = [
    "Card {NEG_CARD} was rejected by the validator.",
    "Test number {NEG_CARD} (not a real card) for QA.",
    "IBAN {NEG_IBAN} failed the checksum.",
    "Payment to {NEG_IBAN} could not be processed.",
    "Dummy SSN {NEG_SSN} used in the fixture.",
    "Invalid SSN format: {NEG_SSN}",
    "Upgraded from {VERSION} to {VERSION} last night.",
    "pip install somepkg=={VERSION}",
    "Python {VERSION} is required.",
    "Firmware {VERSION} fixes the wifi bug.",
    "Invalid address {NEG_IP} in config line {NUM}.",
    "ping: cannot resolve {NEG_IP}",
    "Order {ORDER} total {PRICE}, paid.",
    "Your order {ORDER} has shipped.",
    "Invoice {ORDER}: {PRICE} due in 30 days.",
    "The meeting starts at {TIME}, room {NUM}.",
    "Standup moved to {TIME} today.",
    "Train leaves at {TIME} from platform {NUM}.",
    "ISBN {ISBN} is out of stock.",
    "The {PRODUCT} costs {PRICE} now.",
    "Will you send the slides before {TIME}?",
    "May I ask a question about the {PRODUCT}?",
    "The Rose garden opens at {TIME}.",
    "Please pay the bill before Friday.",
    "Mark the task as done when the build passes.",
    "Grant access to the shared drive, please.",
    "We hope the new {PRODUCT} arrives soon. {EMOJI}",
    "In May we shipped {NUM} releases.",
    "Date field {NEG_DATE} could not be parsed.",
    "Error code {ORDER}: timeout after {NUM} s",
    "Build {VERSION} passed {NUM} of {NUM} tests.",
    "Tracking number {ORDER}, weight {NUM} kg.",
    "Reference {NEG_CARD} / {ORDER}",
    "Population grew by {NUM} percent since {NUM}.",
    "Score: {NUM}-{NUM} at half time.",
    "価格は{PRICE}です。注文番号 {ORDER}",
    "版本 {VERSION} 已发布 🎉",
]

PLAIN_TEMPLATES = [
    "can you send me the report by tomorrow?",
    "lol that meeting was so long 😂",
    "Thanks for the quick reply, that fixed it.",
    "The package arrived damaged, please advise.",
    "best pizza place near the station?",
    "Reminder: the office is closed on public holidays.",
    "I love this {PRODUCT}, works as advertised. {EMOJI}",
    "Please reset my password, I forgot it again.",
    "ok sounds good 👍",
    "Wir sehen uns morgen im Büro.",
    "今日はいい天気ですね。",
    "the deploy is green, merging now",
    "How do I change the language settings?",
    "Could someone from the {WORD} team review this?",
]

TAG_RE = re.compile(r"\{([A-Z0-9_]+)\}")


def template_types(template):
    return {LABELLED[t] for t in TAG_RE.findall(template) if t in LABELLED}


def render(template, gen):
    """Returns (text, entities, inserted values) for one template."""
    text_parts, entities, values = [], [], []
    pos, last = 0, 0
    for m in TAG_RE.finditer(template):
        literal = template[last:m.start()]
        text_parts.append(literal)
        pos += len(literal)
        for seg, typ in getattr(gen, TAGS[m.group(1)])():
            if typ is not None:
                entities.append({"type": typ, "start": pos, "end": pos + len(seg)})
                values.append(seg)
            text_parts.append(seg)
            pos += len(seg)
        last = m.end()
    text_parts.append(template[last:])
    return "".join(text_parts), entities, values


def check_line(text, entities, values):
    prev_end = 0
    for ent, value in zip(entities, values):
        s, e = ent["start"], ent["end"]
        assert text[s:e] == value, (text, ent, value)
        assert value == value.strip() and value, (text, value)
        assert s >= prev_end, ("overlap", text, entities)
        assert ent["type"] in TYPES
        prev_end = e
        t = ent["type"]
        if t == "CREDIT_CARD":
            digits = re.sub(r"[ -]", "", value)
            assert luhn_valid(digits) and len(digits) in (15, 16), value
        elif t == "IBAN":
            assert iban_valid(value), value
        elif t == "US_SSN":
            a, g, sn = re.split(r"[- ]", value)
            assert a not in ("000", "666") and not a.startswith("9") and g != "00" and sn != "0000", value
        elif t == "CRYPTO":
            if value.startswith("bc1"):
                assert bech32_valid(value), value
            elif value.startswith("0x"):
                assert re.fullmatch(r"0x[0-9a-f]{40}", value), value
            else:
                assert base58check_valid(value) and value[0] in "13", value
        elif t == "IP_ADDRESS":
            ipaddress.ip_address(value)
    for seg in re.findall(r"\d[\d -]{12,22}\d", text):  # no unlabelled card-like digit run may pass Luhn
        digits = re.sub(r"[ -]", "", seg)
        if len(digits) in (15, 16) and luhn_valid(digits) and not any(seg in v for v in values):
            return False
    return True


def load_names(seed):
    from faker import Faker  # the name source: several locales, so names are not one country's census list
    names = {}
    for i, loc in enumerate(LOCALES):
        fake = Faker(loc)
        fake.seed_instance(seed * 100 + i)
        females = sorted({fake.first_name_female() for _ in range(500)})
        males = sorted({fake.first_name_male() for _ in range(500)})
        lasts = sorted({fake.last_name() for _ in range(800)})
        names[loc] = (females, males, lasts)
    return names


def generate(lines, seed):
    rng = random.Random(seed)
    gen = Gen(rng, load_names(seed))
    by_type = {t: [tpl for tpl in ENTITY_TEMPLATES if t in template_types(tpl)] for t in TYPES}
    for t, tpls in by_type.items():
        assert len(tpls) >= 3, t
    out = []
    while len(out) < lines:
        u = rng.random()
        if u < 0.07:
            tpl = rng.choice(PLAIN_TEMPLATES)
        elif u < 0.22:
            tpl = rng.choice(NEGATIVE_TEMPLATES)
        else:
            tpl = rng.choice(by_type[rng.choice(TYPES)])
        text, entities, values = render(tpl, gen)
        if not check_line(text, entities, values):
            continue  # an unlabelled filler happened to form a valid card number: draw again
        out.append({"text": text, "entities": entities})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    assert len(ENTITY_TEMPLATES) + len(NEGATIVE_TEMPLATES) + len(PLAIN_TEMPLATES) >= 60
    rows = generate(args.lines, args.seed)
    with open(args.out, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = {}
    for row in rows:
        for e in row["entities"]:
            counts[e["type"]] = counts.get(e["type"], 0) + 1
    unlabelled = sum(1 for row in rows if not row["entities"])
    print(f"wrote {len(rows)} lines to {args.out}: {sum(counts.values())} entities, {unlabelled} lines without any; "
          + ", ".join(f"{t} {counts.get(t, 0)}" for t in TYPES), file=sys.stderr)


if __name__ == "__main__":
    main()
