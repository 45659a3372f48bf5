"""Law 55-19 on the simplification of administrative procedures (DOMAIN.md R5 "Validation").

An administration may not ask for more than one copy of a document, for legalised signatures or
for certified copies, and must answer within 60 days at most (30 days for investment acts).
`check_procedure` and `check_documents` return field-level messages; the model's `clean()` and
the services (`tawasul.catalog.services`) use them, so a refused procedure never reaches review.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext_lazy as _


def delay_limit(*, kind: str, is_investment: bool) -> int:
    if is_investment or kind == "investor":
        return settings.CATALOG_MAX_DELAY_INVESTMENT_DAYS
    return settings.CATALOG_MAX_DELAY_DAYS


def check_procedure(procedure) -> dict[str, list]:
    """Field errors of the procedure row itself (delay, cost, sub-theme, tacit acceptance)."""
    errors: dict[str, list] = {}
    limit = delay_limit(kind=procedure.kind, is_investment=procedure.is_investment)
    if procedure.max_delay_days is not None and procedure.max_delay_days > limit:
        if limit == settings.CATALOG_MAX_DELAY_INVESTMENT_DAYS and limit != settings.CATALOG_MAX_DELAY_DAYS:
            message = _("Law 55-19: an investment act must be answered within %(limit)d days at most.")
        else:
            message = _("Law 55-19: the maximum delay is %(limit)d days.")
        errors.setdefault("max_delay_days", []).append(message % {"limit": limit})
    if procedure.is_free and procedure.cost_amount:
        errors.setdefault("cost_amount", []).append(_("A free procedure cannot have a cost."))
    if procedure.extension_allowed_once and not procedure.extension_reason_ar:
        errors.setdefault("extension_reason_ar", []).append(_("Say why the delay may be extended."))
    subtheme = procedure.subtheme if procedure.subtheme_id else None
    if subtheme is not None and procedure.theme_id and subtheme.theme_id != procedure.theme_id:
        errors.setdefault("subtheme", []).append(
            _("The sub-theme “%(subtheme)s” does not belong to the theme “%(theme)s”: choose one of its sub-themes.")
            % {"subtheme": subtheme.name(), "theme": procedure.theme.name()}
        )
    if procedure.attestation_issuer and not procedure.silence_means_acceptance:
        errors.setdefault("attestation_issuer", []).append(
            _("Only a procedure where silence means acceptance has an attestation issuer.")
        )
    return errors


def check_document(document) -> dict[str, list]:
    """Field errors of one required-document row."""
    errors: dict[str, list] = {}
    if document.copies and document.copies > settings.CATALOG_MAX_COPIES:
        errors["copies"] = [_("Law 55-19: ask for one copy only.")]
    if document.legalised_signature:
        errors["legalised_signature"] = [_("Law 55-19: a legalised signature may not be asked.")]
    if document.certified_copy:
        errors["certified_copy"] = [_("Law 55-19: a certified copy may not be asked.")]
    return errors


def check_documents(documents: Iterable) -> list[dict[str, list]]:
    """The errors of each row, in order (an empty dict for a valid row)."""
    return [check_document(d) for d in documents]
