"""Reads of the registry: search, the tree, the chain above and below an administration.

The registry is public reference data (every administration's name and contact are published on
the directory), so these selectors need no `for_user`; the permission helpers of `accounts` use
`administration_subtree_ids()` to narrow case data to a supervisor's chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import get_language

from tawasul.core.text import normalize, normalize_tokens

from .models import Administration, Commune, Province, Region
from .services import SEARCH_LINE

ARTICLE = "ال"

# A tree of administrations is a few levels deep (ministry → directorate → division, or
# ministry → regional → provincial delegation); the walk stops here in case of bad data.
MAX_TREE_DEPTH = 12


def administrations_joined(on=None) -> QuerySet[Administration]:
    """The administrations on the platform on that date (default today): joined, not yet left."""
    day = on or timezone.localdate()
    return Administration.objects.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))


def region_get(code: str) -> Region | None:
    """A region by HCP code (`04`) or ISO 3166-2 code (`MA-04`), or None."""
    return Region.objects.filter(Q(code=code) | Q(iso_code=code.upper())).first() if code else None


def _ranked(qs: QuerySet, query: str) -> QuerySet:
    """Filter by every word of the query (AND), then put the best matches first.

    Rank 0: a name (or the acronym) is exactly the query; 1: a name starts with it; 2: a word of a
    name starts with the first word of the query; 3: the words appear inside names. Rank ties
    are broken by level for administrations (central first), then by name.
    """
    tokens = normalize_tokens(query)
    for token in tokens:
        # normalize() keeps the article on short words ("الصحه"); documents often carry the word
        # with a preposition instead ("للصحه", "بالرباط"), so match the word without the article.
        if token.startswith(ARTICLE) and len(token) > len(ARTICLE) + 1:
            token = token[len(ARTICLE) :]
        qs = qs.filter(search_text__contains=token)
    if not tokens:
        return qs.annotate(rank=Value(3, output_field=IntegerField()))
    whole = normalize(query)
    # A word "starts with" the first query word also when only the Arabic article stands before it:
    # normalize() keeps the article on short words ("الصحه"), so "صحه" must still rank as a word start.
    word_start = Q()
    for prefix in (" ", SEARCH_LINE, " " + ARTICLE, SEARCH_LINE + ARTICLE):
        word_start |= Q(search_text__contains=prefix + tokens[0])
    return qs.annotate(
        rank=Case(
            When(search_text__contains=SEARCH_LINE + whole + SEARCH_LINE, then=Value(0)),
            When(search_text__contains=SEARCH_LINE + whole, then=Value(1)),
            When(word_start, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    )


_LEVEL_ORDER = Case(
    *(When(level=level, then=Value(i)) for i, level in enumerate(Administration.Level.values)),
    default=Value(len(Administration.Level.values)),
    output_field=IntegerField(),
)


def _name_order() -> list[str]:
    lang = (get_language() or "ar").split("-")[0]
    return {"fr": ["name_fr", "name_ar"], "en": ["name_en", "name_fr", "name_ar"], "zgh": ["name_zgh", "name_ar"]}.get(
        lang, ["name_ar"]
    )


def administration_search(
    query: str,
    *,
    region: Region | str | None = None,
    kind: str | None = None,
    group: str | None = None,
    joined_only: bool = True,
    limit: int | None = 20,
) -> QuerySet[Administration]:
    """Administrations whose names (in any language) or acronym contain every word of `query`.

    Words are compared after `tawasul.core.text.normalize` on both sides, so "وزاره الداخليه" finds
    "وزارة الداخلية" and "interieur" finds "Intérieur" (SPEC.md §1 "Languages"). Best matches first
    (see `_ranked`), then by name in the active language. `region` is a Region or a code (HCP or
    ISO); `joined_only` keeps the administrations on the platform today; `limit=None` for all (the
    directory paginates).
    """
    qs = administrations_joined() if joined_only else Administration.objects.all()
    if region:
        qs = (
            qs.filter(region=region)
            if isinstance(region, Region)
            else qs.filter(Q(region__code=region) | Q(region__iso_code=str(region).upper()))
        )
    if kind:
        qs = qs.filter(kind=kind)
    if group:
        qs = qs.filter(group=group)
    qs = _ranked(qs, query or "").annotate(level_order=_LEVEL_ORDER)
    qs = qs.select_related("region", "parent").order_by("rank", "level_order", *_name_order(), "code")
    return qs[:limit] if limit else qs


def commune_search(query: str, province: Province | str | None = None, *, limit: int | None = 20) -> QuerySet[Commune]:
    """Communes whose Arabic or French name contains every word of `query` (normalised)."""
    qs = Commune.objects.select_related("province")
    if province:
        qs = qs.filter(province=province) if isinstance(province, Province) else qs.filter(province__code=province)
    qs = _ranked(qs, query or "").order_by("rank", *_name_order(), "code")
    return qs[:limit] if limit else qs


def provinces_of_region(region_code: str) -> QuerySet[Province]:
    region = region_get(region_code)
    return Province.objects.filter(region=region).order_by(*_name_order()) if region else Province.objects.none()


def communes_of_province(province_code: str) -> QuerySet[Commune]:
    return Commune.objects.filter(province__code=province_code).order_by(*_name_order())


@dataclass
class TreeNode:
    administration: Administration
    children: list[TreeNode] = field(default_factory=list)


def administrations_tree(*, joined_only: bool = False) -> list[TreeNode]:
    """Every administration as a forest (roots are those without parent), in two queries' worth.

    With `joined_only`, an administration that is not on the platform is left out with its subtree.
    """
    qs = administrations_joined() if joined_only else Administration.objects.all()
    nodes = {a.pk: TreeNode(a) for a in qs.order_by(*_name_order(), "code")}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.administration.parent_id)
        if node.administration.parent_id is None:
            roots.append(node)
        elif parent is not None:
            parent.children.append(node)
    return roots


def administration_ancestors(administration: Administration) -> list[Administration]:
    """The chain above `administration`, from the root down to its parent (empty for a root)."""
    chain: list[Administration] = []
    seen = {administration.pk}
    parent_id = administration.parent_id
    while parent_id and parent_id not in seen and len(chain) < MAX_TREE_DEPTH:
        parent = Administration.objects.get(pk=parent_id)
        chain.append(parent)
        seen.add(parent_id)
        parent_id = parent.parent_id
    chain.reverse()
    return chain


def administration_descendants(administration: Administration) -> list[Administration]:
    """Every administration below `administration` (children first, then theirs...), one query per level."""
    found: list[Administration] = []
    seen = {administration.pk}
    level = [administration.pk]
    for _depth in range(MAX_TREE_DEPTH):
        children = [a for a in Administration.objects.filter(parent_id__in=level).order_by("code") if a.pk not in seen]
        if not children:
            break
        found.extend(children)
        seen.update(a.pk for a in children)
        level = [a.pk for a in children]
    return found


def administration_subtree_ids(administration: Administration) -> set[int]:
    """The ids of `administration` and of everything below it (what its supervisors oversee)."""
    return {administration.pk, *(a.pk for a in administration_descendants(administration))}
