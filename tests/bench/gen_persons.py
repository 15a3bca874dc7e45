#!/usr/bin/env python3
"""Writes N distinct valid rows shaped like persons.csv (for bench_import.sh when
../shared/data/persons-200k.csv.gz is absent). Usage: gen_persons.py N > persons.csv"""
import csv
import random
import sys

FIRST = ["Anna", "Jan", "Ola", "Piotr", "Ewa", "Marek", "Zofia", "Łukasz", "Кира", "Иван", "Sara", "John"]
LAST = ["Nowak", "Kowalski", "Wiśniewska", "Lis", "Mak", "Рыбакова", "Smith", "Brown", "Zięba", "Cieśla"]
PETS = ["dog", "cat", "fish", "bird", "hamster", "rabbit"]
GIFTS = ["book", "wine", "tea set", "scarf", "chocolate", "spa voucher"]

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
    rnd = random.Random(42)
    w = csv.writer(sys.stdout, lineterminator="\r\n")
    w.writerow(["external_id", "first_name", "last_name", "gender", "birth_date", "email", "mobile",
                "city", "street", "postal_code", "country", "company", "pets", "expected_gifts",
                "source", "marital_status", "marketing_consent", "notes"])
    for i in range(n):
        pets = ",".join(sorted(rnd.sample(PETS, rnd.randint(1, 2))))
        w.writerow([f"C{1000000 + i}", rnd.choice(FIRST), rnd.choice(LAST), rnd.choice("FM"),
                    f"{rnd.randint(1940, 2005)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
                    f"client{i}@example.com", f"+48 {600000000 + i:09d}"[:15], "Kraków",
                    f"ul. Długa {i % 200 + 1}", f"{i % 90 + 10:02d}-{i % 900 + 100}", "PL", "",
                    pets, rnd.choice(GIFTS), "radio", "single", "yes", ""])

main()
