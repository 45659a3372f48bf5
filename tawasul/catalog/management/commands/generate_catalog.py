"""Build the national counts (SPEC.md §5: 803 procedures, 207 online services, 419 investor
procedures) for scale tests: variants of the demo procedures (same theme and sub-theme),
bulk_create, then one index rebuild."""

from __future__ import annotations

import json
import random
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from tawasul.catalog.demo import DATA_FILE
from tawasul.catalog.models import Procedure, RequiredDocument, SubTheme, Theme
from tawasul.catalog.search import index_text, rebuild_index
from tawasul.registry.models import Administration

PLACES_AR = ["الرباط", "الدار البيضاء", "فاس", "مراكش", "طنجة", "أكادير", "وجدة", "العيون", "مكناس", "تطوان"]
PLACES_FR = ["Rabat", "Casablanca", "Fès", "Marrakech", "Tanger", "Agadir", "Oujda", "Laâyoune", "Meknès", "Tétouan"]


class Command(BaseCommand):
    help = "Generate published procedures at national scale (bulk), then rebuild the search index."

    def add_arguments(self, parser):
        parser.add_argument("--procedures", type=int, default=803)
        parser.add_argument("--online", type=int, default=207)
        parser.add_argument("--investor", type=int, default=419)
        parser.add_argument("--seed", type=int, default=6)
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, procedures, online, investor, seed, batch, **options):
        rng = random.Random(seed)  # noqa: S311 - test data, not secrets
        base = json.loads(DATA_FILE.read_text(encoding="utf-8"))["procedures"]
        themes = {t.slug: t for t in Theme.objects.all()}
        # Each generated procedure takes its source's sub-theme (the source row names it).
        subthemes = {(s.theme.slug, s.slug): s for s in SubTheme.objects.select_related("theme")}
        administrations = list(Administration.objects.all())
        if not administrations:
            self.stderr.write("Load the registry first (manage.py seed_demo).")
            return
        start = time.perf_counter()
        start_id = (Procedure.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        plan = [("procedure", procedures), ("online_service", online), ("investor", investor)]
        now, n = timezone.now(), 0
        with transaction.atomic():
            for kind, count in plan:
                pool = [p for p in base if p["kind"] == kind] or base
                rows, docs = [], []
                for i in range(count):
                    src = rng.choice(pool)
                    k = rng.randrange(len(PLACES_AR))
                    title_ar = f"{src['title_ar']} - {PLACES_AR[k]} {i}"
                    title_fr = f"{src['title_fr']} - {PLACES_FR[k]} {i}"
                    rows.append(
                        Procedure(
                            code=f"gen-{kind}-{start_id + n}",
                            kind=kind,
                            status=Procedure.Status.PUBLISHED,
                            theme=themes[src["theme"]],
                            subtheme=subthemes.get((src["theme"], src.get("subtheme", ""))),
                            administration=rng.choice(administrations),
                            title_ar=title_ar,
                            title_fr=title_fr,
                            summary_ar=src["summary_ar"],
                            summary_fr=src["summary_fr"],
                            who_ar=src["who_ar"],
                            who_fr=src["who_fr"],
                            audiences="," + ",".join(src["audiences"]) + ",",
                            max_delay_days=min(src["max_delay_days"], 30 if kind == "investor" else 60),
                            is_free=src["is_free"],
                            online_service_url=src["online_service_url"],
                            published_at=now,
                            search_title=index_text(title_ar, title_fr),
                            search_text=self._body(src),
                        )
                    )
                    n += 1
                    if len(rows) >= batch:
                        docs += self._flush(rows, base)
                        rows = []
                docs += self._flush(rows, base)
            rebuild_index()
        self.stdout.write(f"{n} procedures generated and indexed in {time.perf_counter() - start:.1f} s")

    _bodies: dict[str, str] = {}

    def _body(self, src: dict) -> str:
        """The normalized body text of a source procedure (computed once per source)."""
        if src["code"] not in self._bodies:
            docs = [d[f"name_{lang}"] for d in src["documents"] for lang in ("ar", "fr")]
            self._bodies[src["code"]] = index_text(
                src["summary_ar"], src["summary_fr"], src["who_ar"], src["who_fr"], *docs
            )
        return self._bodies[src["code"]]

    def _flush(self, rows, base):
        created = Procedure.objects.bulk_create(rows)
        first = {p["title_fr"]: p for p in base}
        docs = []
        for procedure in created:
            src = first.get(procedure.title_fr.rsplit(" - ", 1)[0])
            for i, d in enumerate((src or base[0])["documents"]):
                docs.append(
                    RequiredDocument(procedure=procedure, position=i, name_ar=d["name_ar"], name_fr=d["name_fr"])
                )
        RequiredDocument.objects.bulk_create(docs, batch_size=5000)
        return []
