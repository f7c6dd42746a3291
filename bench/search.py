"""The officers' search (dossiers/search.py) against, in the same run, hand-written SQL doing the same
on the raw dossier table: each kind of text, for a commune desk officer and for an officer whose
scope is the whole province (the widest an official holds).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/search.py \\
        --dossiers 1500000 --runs 5

Fills the database up to --dossiers first (as reports.py does: province 99, three years), gives the
bulk-made dossiers phone numbers (the generator writes none) and one a rare name, then times what
the results page reads: the first page of 50 and the count (stopped at search.CAP). Ours is
``search.search`` through ``CappedPaginator``; the baseline is one statement for the count and one
for the page, with the user's units resolved beforehand and the scope as EXISTS (no DISTINCT).
Prints medians and writes JSON.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import reports
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from motcua.dossiers import search, services
from motcua.dossiers.models import Dossier
from motcua.people.models import Role, User
from motcua.people.services import assign_role, units_in_scope
from motcua.units.models import Unit
from motcua.units.services import unit_on

PER_PAGE = 50
RARE = "Quàng Thị Phượng Hoàng"
SCOPE = """(d.receiving_unit_id = ANY(%(units)s) OR d.processing_unit_id = ANY(%(units)s)
  OR d.assignee_id = %(user)s OR d.applicant_user_id = %(user)s
  OR EXISTS (SELECT 1 FROM dossiers_consultation c WHERE c.dossier_id = d.id AND c.unit_id = ANY(%(units)s)))"""
KEYS = {
    search.Kind.CODE: "d.code = %(value)s",
    search.Kind.CODE_TAIL: "d.code_number = %(value)s AND d.code LIKE %(suffix)s",
    search.Kind.ID: "d.applicant_id = %(value)s",
    search.Kind.PHONE: "d.phone_digits = %(value)s",
    search.Kind.NAME: "d.applicant_folded ~ %(pattern)s",
}
COUNT = "SELECT count(*) FROM (SELECT 1 FROM dossiers_dossier d WHERE {key} AND {scope} LIMIT %(cap)s) found"
PAGE = """SELECT d.*, p.name FROM dossiers_dossier d JOIN catalog_procedure p ON p.id = d.procedure_id
WHERE {key} AND {scope} ORDER BY d.id DESC LIMIT %(per_page)s"""


def prepare(province: Unit) -> None:
    """Phones for the bulk-made dossiers (a hash of the id into 50 million numbers) and one rare
    name; done once."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE dossiers_dossier SET applicant_phone = "
            "'09' || lpad((abs(hashtext(id::text)) %% 50000000)::text, 8, '0') "
            "WHERE province_id = %s AND applicant_phone = ''",
            [province.pk],
        )
        if cursor.rowcount:
            print(f"gave {cursor.rowcount:,} dossiers a phone", flush=True)
            cursor.execute("ANALYZE dossiers_dossier")
    if not Dossier.objects.filter(applicant_name=RARE).exists():
        dossier = Dossier.objects.filter(province=province).order_by("-pk").first()
        Dossier.objects.filter(pk=dossier.pk).update(applicant_name=RARE)
    with connection.cursor() as cursor:
        # As autovacuum would have by now: the trigram index's pending entries (rows written in
        # bulk wait there, and the planner then prefers reading the table) go into the index.
        cursor.execute("VACUUM ANALYZE dossiers_dossier")


def officer(username: str, role: Role, unit: Unit) -> User:
    user, made = User.objects.get_or_create(username=username, defaults={"full_name": username})
    if made:
        assign_role(user, role, unit)
    return User.objects.get(pk=user.pk)  # fresh: no cached role paths


def texts(dossier: Dossier) -> list[tuple[str, str]]:
    folded = dossier.applicant_folded
    phone = dossier.applicant_phone
    return [
        ("code, whole", dossier.code),
        ("code, day and number", dossier.code.split("-", 1)[1]),
        ("code, number of the day", dossier.code_number),
        ("ID number", dossier.applicant_id),
        ("phone, spaced", f"{phone[:4]} {phone[4:7]} {phone[7:]}"),
        ("phone, +84", "+84" + phone[1:]),
        ("name, rare", "phuong hoang"),
        ("name, whole (common)", folded),
        ("name, given (very common)", folded.split()[-1]),
    ]


def raw_params(text: str, user: User, units: list[int]) -> tuple[str, dict]:
    query = search.classify(text)
    key = KEYS[search.Kind.CODE if query.kind is search.Kind.CODE_OR_ID else query.kind]
    params = {"value": query.value, "units": units, "user": user.pk, "cap": search.CAP + 1, "per_page": PER_PAGE,
              "suffix": f"%-{query.day}-{query.value}" if query.day else "%",
              "pattern": search.name_pattern(query.value.split())}  # fmt: skip
    return key, params


def timed(function) -> float:
    began = time.perf_counter()
    function()
    return time.perf_counter() - began


def main():
    parser = argparse.ArgumentParser()
    reports.add_fill_arguments(parser, "var/bench/search.json")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run on PostgreSQL: set DATABASE_URL.")
    reports.fill(args.province, args.communes, args.dossiers, args.years)
    today = timezone.localdate()
    province = unit_on(args.province, today)
    prepare(province)
    count = Dossier.objects.filter(province=province).count()
    busiest = (
        Dossier.objects.filter(province=province).values("receiving_unit").order_by().annotate(n=Count("pk"))
        .order_by("-n").first()
    )  # fmt: skip
    desk_unit = Unit.objects.get(pk=busiest["receiving_unit"])
    officers = [
        ("desk", officer("bench.search.desk", Role.DESK_OFFICER, desk_unit)),
        ("province", officer("bench.search.province", Role.UNIT_LEADER, province)),
    ]
    sample = Dossier.objects.filter(receiving_unit=desk_unit, code__isnull=False).exclude(applicant_phone="")
    sample = sample.order_by("-pk")[100]
    print(f"{count:,} dossiers; the desk {desk_unit.code} received {busiest['n']:,}; searching for {sample.code}")
    results = []
    print(f"{'scope':<10}{'search':<28}{'found':>7}{'ours s':>9}{'raw SQL s':>11}{'raw/ours':>10}")
    for scope_name, user in officers:
        units = list(units_in_scope(user, services.OFFICIAL_ROLES).values_list("pk", flat=True))
        for name, text in texts(sample):

            def ours(text=text, user=user):
                paginator = search.CappedPaginator(search.search(user, text).select_related("procedure"), PER_PAGE)
                page = paginator.page(1)
                return paginator.count, list(page.object_list)

            key, params = raw_params(text, user, units)

            def raw(key=key, params=params):
                with connection.cursor() as cursor:
                    cursor.execute(COUNT.format(key=key, scope=SCOPE), params)
                    found = cursor.fetchone()[0]
                    cursor.execute(PAGE.format(key=key, scope=SCOPE), params)
                    return min(found, search.CAP), cursor.fetchall()

            found, rows = ours()
            raw_found, raw_rows = raw()
            assert found == raw_found and [d.pk for d in rows] == [r[0] for r in raw_rows], (name, found, raw_found)
            mine, base = [], []
            for _ in range(args.runs):  # interleaved, so that the machine's mood falls on both alike
                mine.append(timed(ours))
                base.append(timed(raw))
            row = {"scope": scope_name, "search": name, "text": text, "found": found, "capped": found >= search.CAP,
                   "ours_s": statistics.median(mine), "raw_sql_s": statistics.median(base),
                   "ours_runs": mine, "raw_runs": base}  # fmt: skip
            row["raw_over_ours"] = row["raw_sql_s"] / row["ours_s"]
            results.append(row)
            shown = f"{found:,}" + ("+" if row["capped"] else "")
            print(f"{scope_name:<10}{name:<28}{shown:>7}{row['ours_s']:>9.3f}{row['raw_sql_s']:>11.3f}"
                  f"{row['raw_over_ours']:>10.2f}", flush=True)  # fmt: skip
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
               "postgresql": connection.cursor().connection.info.server_version}  # fmt: skip
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"dossiers": count, "desk": desk_unit.code, "machine": machine, "results": results},
                              indent=2, default=str))  # fmt: skip
    print(f"written to {out}")


if __name__ == "__main__":
    main()
