"""Bulk data of the jobs portal for the benchmarks (issue 7 scenario 8, results day).

`generate(notices=49, applications=10_602, seed=1)`: the seeds' figures (49 competitions with
online application, 10,602 online applications). Half the notices are closed and carry their
five published lists (R4's order, one withdrawal each that called the first of the waiting list);
the others are open. Rows are written with `bulk_create` in batches, never one ORM row at a time.
Needs administrations in the registry (the demo's or the bench's). Returns counts.
"""

from __future__ import annotations

import datetime as dt
import random
import time

BATCH = 2_000


def _references(year: int, count: int):
    """`count` new JOB references for `year`, continuing the shared counter (updated at the end)."""
    from tawasul.core.models import ReferenceCounter
    from tawasul.core.references import Reference, check_character

    counter, _created = ReferenceCounter.objects.get_or_create(prefix="JOB", year=year, defaults={"last": 0})
    sequence = counter.last
    refs = []
    while len(refs) < count:
        sequence += 1
        check = check_character("JOB", year, sequence)
        if check is not None:
            refs.append(str(Reference("JOB", year, sequence, check)))
    ReferenceCounter.objects.filter(pk=counter.pk).update(last=sequence)
    return refs


def generate(*, notices: int, applications: int, seed: int) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from tawasul.accounts.models import User
    from tawasul.jobs.models import (
        Application,
        CandidateProfile,
        ExamCentre,
        ExamTest,
        ListEntry,
        ListKind,
        Notice,
        NoticeLine,
        PublishedList,
        RequiredDocument,
    )
    from tawasul.registry.models import Administration

    started = time.monotonic()
    rng = random.Random(seed)
    now = timezone.now().replace(microsecond=0)
    admins = list(Administration.objects.order_by("pk")[:40])
    if not admins:
        raise RuntimeError("jobs bench data needs administrations: load the registry first")
    towns = ("Rabat", "Casablanca", "Fès", "Marrakech", "Oujda", "Agadir", "Tanger", "Laâyoune")
    specialities = ("Informatique", "Économie", "Droit", "Statistique", "Génie civil", "Soins infirmiers")
    with transaction.atomic():
        rows = []
        for i in range(notices):
            closed = i % 2 == 0
            deadline = now + dt.timedelta(days=rng.randint(-90, -5) if closed else rng.randint(5, 40))
            rows.append(
                Notice(
                    administration=admins[i % len(admins)],
                    kind="recruitment_competition",
                    status=Notice.Status.PUBLISHED,
                    title_ar=f"مباراة لتوظيف متصرفين من الدرجة الثانية رقم {seed}-{i}",
                    title_fr=f"Concours d'administrateurs de 2e grade n° {seed}-{i}",
                    grade="Administrateur de 2e grade",
                    scale=11,
                    posts_total=0,
                    age_max=40,
                    deadline_at=deadline,
                    published_at=deadline - dt.timedelta(days=30),
                    exam_date=(deadline + dt.timedelta(days=30)).date(),
                    search_text=f"concours administrateurs {seed}-{i}",
                    updated_at=now,
                )
            )
        created = Notice.objects.bulk_create(rows, batch_size=BATCH)
        lines, centres, tests, docs = [], [], [], []
        for notice in created:
            for k in range(3):
                lines.append(
                    NoticeLine(
                        notice=notice, position=k, speciality=rng.choice(specialities), posting_place=towns[k], posts=5
                    )
                )
                centres.append(ExamCentre(notice=notice, position=k, name=towns[k]))
            tests += [ExamTest(notice=notice, type="written", duration_minutes=180, coefficient=3, position=0)]
            tests += [ExamTest(notice=notice, type="oral", duration_minutes=30, coefficient=3, position=1)]
            docs += [RequiredDocument(notice=notice, name=name, position=p) for p, name in enumerate(("CV", "Diplôme"))]
        NoticeLine.objects.bulk_create(lines, batch_size=BATCH)
        ExamCentre.objects.bulk_create(centres, batch_size=BATCH)
        ExamTest.objects.bulk_create(tests, batch_size=BATCH)
        RequiredDocument.objects.bulk_create(docs, batch_size=BATCH)
        Notice.objects.filter(pk__in=[n.pk for n in created]).update(posts_total=15)
        line_ids = {}
        for line in NoticeLine.objects.filter(notice__in=created).order_by("pk").values("pk", "notice_id"):
            line_ids.setdefault(line["notice_id"], []).append(line["pk"])
        centre_ids = {}
        for centre in ExamCentre.objects.filter(notice__in=created).order_by("pk").values("pk", "notice_id"):
            centre_ids.setdefault(centre["notice_id"], []).append(centre["pk"])

        # Candidates: one account and profile per application (16,084 accounts on the real portal).
        password = make_password(None)
        users = [
            User(
                username=f"bench-candidate-{seed}-{i}",
                email=f"bench-candidate-{seed}-{i}@bench.tawasul.ma",
                first_name=rng.choice(("Amina", "Youssef", "Salma", "Omar", "Imane", "Karim")),
                last_name=rng.choice(("Alaoui", "Bennani", "Tazi", "Berrada", "Chraibi", "Amrani")),
                password=password,
            )
            for i in range(applications)
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        users = list(User.objects.filter(username__startswith=f"bench-candidate-{seed}-").order_by("pk"))
        CandidateProfile.objects.bulk_create(
            (
                CandidateProfile(user=u, birth_date=dt.date(1990 + i % 12, 1 + i % 12, 1 + i % 28), diplomas="Master")
                for i, u in enumerate(users)
            ),
            batch_size=BATCH,
        )
        refs = _references(now.year, applications)
        apps = []
        for i, user in enumerate(users):
            notice = created[i % len(created)]
            apps.append(
                Application(
                    reference=refs[i],
                    notice=notice,
                    line_id=rng.choice(line_ids[notice.pk]),
                    centre_id=rng.choice(centre_ids[notice.pk]),
                    candidate=user,
                    full_name=f"{user.first_name} {user.last_name}",
                    submitted_at=notice.published_at + dt.timedelta(minutes=i % 40_000),
                )
            )
        Application.objects.bulk_create(apps, batch_size=BATCH)
        by_notice: dict[int, list] = {}
        for pk, notice_id, ref, name, line_id in (
            Application.objects.filter(notice__in=created)
            .order_by("pk")
            .values_list("pk", "notice_id", "reference", "full_name", "line_id")
        ):
            by_notice.setdefault(notice_id, []).append((pk, ref, name, line_id))
        speciality = dict(NoticeLine.objects.filter(notice__in=created).values_list("pk", "speciality"))

        lists_count = entries_count = 0
        entries: list[ListEntry] = []
        statuses: dict[str, list[int]] = {}
        for notice in created:
            if notice.deadline_at > now:
                continue
            pool = by_notice.get(notice.pk, [])
            pre = pool[: int(len(pool) * 0.8)]
            oral = pre[: len(pre) // 2]
            main = oral[: min(15, len(oral) // 2)]
            waiting = oral[len(main) :]
            promoted = waiting[:1]
            plan = [
                (ListKind.PRESELECTED_WRITTEN, pre),
                (ListKind.CONVOKED_ORAL, oral),
                (ListKind.FINAL_MAIN, main + promoted),
                (ListKind.FINAL_WAITING, waiting),
                (ListKind.WITHDRAWALS, main[:1]),
            ]
            published = PublishedList.objects.bulk_create(
                PublishedList(
                    notice=notice, kind=kind, published_at=notice.deadline_at + dt.timedelta(days=7 * (n + 1))
                )
                for n, (kind, _members) in enumerate(plan)
            )
            lists_count += len(published)
            for lst, (kind, members) in zip(published, plan, strict=True):
                for position, (pk, ref, name, line_id) in enumerate(members, start=1):
                    struck = (kind == ListKind.FINAL_MAIN and main and pk == main[0][0]) or (
                        kind == ListKind.FINAL_WAITING and position == 1
                    )
                    entries.append(
                        ListEntry(
                            list=lst,
                            application_id=pk,
                            position=position,
                            full_name=name,
                            reference=ref,
                            speciality=speciality.get(line_id, ""),
                            struck=bool(struck),
                        )
                    )
            statuses.setdefault("not_preselected", []).extend(p[0] for p in pool[len(pre) :])
            statuses.setdefault("preselected", []).extend(p[0] for p in pre[len(oral) :])
            statuses.setdefault("final_waiting", []).extend(p[0] for p in waiting[1:])
            statuses.setdefault("final_main", []).extend(p[0] for p in main[1:] + promoted)
            statuses.setdefault("desisted", []).extend(p[0] for p in main[:1])
            if len(entries) >= BATCH:
                ListEntry.objects.bulk_create(entries, batch_size=BATCH)
                entries_count += len(entries)
                entries = []
        ListEntry.objects.bulk_create(entries, batch_size=BATCH)
        entries_count += len(entries)
        for status, ids in statuses.items():
            for start in range(0, len(ids), BATCH):
                Application.objects.filter(pk__in=ids[start : start + BATCH]).update(status=status)
        Notice.objects.filter(pk__in=[n.pk for n in created]).update(version=2)
    return {
        "notices": len(created),
        "applications": len(apps),
        "lists": lists_count,
        "list_entries": entries_count,
        "seconds": round(time.monotonic() - started, 1),
    }


def hot_paths(*, language: str = "fr", limit: int = 20) -> list[str]:
    """The pages a results day hits (scenario 8): the notice and list pages of the closed notices
    with published lists, newest lists first."""
    from tawasul.jobs.models import PublishedList

    lists = PublishedList.objects.filter(notice__status="published").order_by("-published_at", "-pk")[:limit]
    paths = []
    for notice_id, kind in lists.values_list("notice_id", "kind"):
        paths += [f"/{language}/jobs/notice/{notice_id}/", f"/{language}/jobs/notice/{notice_id}/list/{kind}/"]
    return list(dict.fromkeys(paths))
