#!/usr/bin/env python3
"""N people with about DUP% duplicates, messed up the way real exports are (see
../shared/data/README.md): case, typos, swapped first and last name, dropped Polish
diacritics, Cyrillic transliterated, a missing e-mail or phone, extra spaces, day.month.year
dates. Writes CSV (external_id, first_name, last_name, birth_date, email, mobile, city, street,
postal_code, country) and a truth file (external_id <TAB> entity).

usage: gen_people.py N OUT.csv TRUTH.tsv [--seed S] [--dup 10] [--pool persons.csv.gz]
--pool takes names, streets and cities from a CSV in the persons.csv shape (gzip or not);
without it a small built-in pool is used (tests must not depend on shared data)."""
import argparse
import csv
import gzip
import random

FIRST = ["Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna",
         "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Łukasz", "Jakub",
         "Ольга", "Татьяна", "Иван", "Сергей", "Дмитрий", "Алексей", "Наталья", "Елена",
         "John", "Mary", "James", "Linda", "Robert", "Susan", "David", "Karen",
         "مریم", "زهرا", "علی", "حسین", "فاطمه", "رضا", "سارا", "مهدی"]
LAST = ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
        "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur",
        "Krawczyk", "Piotrowski", "Grabowski", "Nowakowski", "Pawłowski", "Michalski",
        "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Волков",
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
        "محمدی", "حسینی", "رضایی", "کریمی", "موسوی", "جعفری", "قاسمی", "هاشمی"]
STREETS = ["Polna", "Leśna", "Słoneczna", "Krótka", "Szkolna", "Ogrodowa", "Lipowa", "Łąkowa",
           "Ленина", "Мира", "Садовая", "Main Street", "Oak Avenue", "Park Lane"]
CITIES = ["Warszawa", "Kraków", "Łódź", "Wrocław", "Poznań", "Gdańsk", "Москва", "Казань",
          "London", "Boston", "تهران", "اصفهان"]
PL = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")
RU = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
              ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
               "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
               "yu", "ya"]))
ARABIC = str.maketrans("یک", "يك")


def translit(s):
    out = []
    for ch in s:
        low = ch.lower()
        t = RU.get(low, ch)
        out.append(t.capitalize() if ch != low and t else t)
    return "".join(out)


def typo(s, rnd):
    if len(s) < 4:
        return s
    i = rnd.randrange(1, len(s) - 1)
    k = rnd.randrange(3)
    if k == 0:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if k == 1:
        return s[:i] + s[i + 1:]
    return s[:i] + rnd.choice("aeinorst") + s[i + 1:]


def load_pool(path):
    op = gzip.open if path.endswith(".gz") else open
    first, last, streets, cities = set(), set(), set(), set()
    with op(path, "rt", encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            if i > 200000:
                break
            first.add(row["first_name"].strip())
            last.add(row["last_name"].strip())
            streets.add(row["street"].strip())
            cities.add(row["city"].strip())
    return [sorted(x - {""}) for x in (first, last, streets, cities)]


def person(rnd, i, pools):
    first, last, streets, cities = pools
    f, l = rnd.choice(first), rnd.choice(last)
    y, m, d = rnd.randrange(1940, 2005), rnd.randrange(1, 13), rnd.randrange(1, 29)
    ascii_f = translit(f.translate(PL)).lower()
    ascii_l = translit(l.translate(PL)).lower()
    local = f"{ascii_f}.{ascii_l}{i}" if ascii_f.isascii() and ascii_l.isascii() else f"client.{i}"
    return {
        "first_name": f, "last_name": l, "birth_date": f"{y:04d}-{m:02d}-{d:02d}",
        "email": f"{local}@{rnd.choice(['wp.pl', 'gmail.com', 'onet.pl', 'mail.ru'])}",
        "mobile": f"+48{rnd.randrange(500000000, 899999999)}",
        "city": rnd.choice(cities), "street": f"{rnd.choice(streets)} {rnd.randrange(1, 200)}",
        "postal_code": f"{rnd.randrange(10, 99)}-{rnd.randrange(100, 999)}", "country": "PL",
    }


def mess(p, rnd):
    q = dict(p)
    kinds = rnd.sample(["case", "typo", "swap", "diacritics", "translit", "arabic", "no-email",
                        "no-phone", "spaces", "date-dmy", "email-case", "phone-format"], 2)
    for k in kinds:
        if k == "case":
            q["last_name"] = q["last_name"].upper()
        elif k == "typo":
            key = rnd.choice(["first_name", "last_name"])
            q[key] = typo(q[key], rnd)
        elif k == "swap":
            q["first_name"], q["last_name"] = q["last_name"], q["first_name"]
        elif k == "diacritics":
            q["first_name"] = q["first_name"].translate(PL)
            q["last_name"] = q["last_name"].translate(PL)
        elif k == "translit":
            q["first_name"], q["last_name"] = translit(q["first_name"]), translit(q["last_name"])
        elif k == "arabic":
            q["first_name"] = q["first_name"].translate(ARABIC)
            q["last_name"] = q["last_name"].translate(ARABIC)
        elif k == "no-email":
            q["email"] = ""
        elif k == "no-phone":
            q["mobile"] = ""
        elif k == "spaces":
            q["first_name"] = "  " + q["first_name"] + " "
            q["street"] = q["street"].replace(" ", "   ")
        elif k == "date-dmy":
            y, m, d = q["birth_date"].split("-")
            q["birth_date"] = f"{d}.{m}.{y}"
        elif k == "email-case":
            q["email"] = q["email"].upper()
        elif k == "phone-format":
            n = q["mobile"][3:]
            q["mobile"] = f"{n[:3]} {n[3:6]} {n[6:]}" if n else ""
    if not q["email"] and not q["mobile"]:
        q["mobile"] = p["mobile"]
    return q


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("truth")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dup", type=float, default=10.0)
    ap.add_argument("--pool")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    pools = load_pool(a.pool) if a.pool else (FIRST, LAST, STREETS, CITIES)
    cols = ["external_id", "first_name", "last_name", "birth_date", "email", "mobile", "city",
            "street", "postal_code", "country"]
    with open(a.out, "w", encoding="utf-8", newline="") as f, open(a.truth, "w") as t:
        w = csv.writer(f)
        w.writerow(cols)
        originals = int(a.n / (1 + a.dup / 100.0))
        rows = 0
        for i in range(originals):
            p = person(rnd, i, pools)
            copies = [p]
            if rnd.random() < a.dup / 100.0 * a.n / originals:
                copies.append(mess(p, rnd))
            for c in copies:
                if rows >= a.n:
                    break
                rows += 1
                c["external_id"] = f"X{rows}"
                w.writerow([c[k] for k in cols])
                t.write(f"X{rows}\tE{i}\n")
        while rows < a.n:  # rounding: fill with originals
            p = person(rnd, originals + rows, pools)
            rows += 1
            p["external_id"] = f"X{rows}"
            w.writerow([p[k] for k in cols])
            t.write(f"X{rows}\tE{originals + rows}\n")


if __name__ == "__main__":
    main()
