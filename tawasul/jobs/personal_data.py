"""The jobs portal's personal data (law 09-08; `tawasul.accounts.personal_data` calls it through
`PERSONAL_DATA_PROVIDERS`): the candidate profile, the applications and their files.

Erasure deletes the profile and every uploaded file, and blanks the name on applications that
are on no published list. A name already published on a list (convoked, results, withdrawals)
stays on that list: the lists are the competition's public record, which decree 2-11-621 requires
to be published (DOMAIN.md §4); the application behind it loses its files and profile.
Retention: `purge` deletes the files of applications to notices closed before the cut-off.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tawasul.core.uploads import delete_stored_file

from .models import Application, ApplicationDocument, CandidateProfile, ListEntry


def _delete_documents(documents) -> int:
    names = list(documents.values_list("storage_name", flat=True))
    count, _detail = documents.delete()
    transaction.on_commit(lambda: [delete_stored_file(name) for name in names])
    return count


class JobsPersonalData:
    key = "job_applications"

    def export(self, user) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        profile = CandidateProfile.objects.filter(user=user).first()
        if profile is not None:
            rows.append(
                {
                    "candidate_profile": {
                        "birth_date": profile.birth_date.isoformat(),
                        "diplomas": profile.diplomas,
                        "experience": profile.experience,
                        "prior_service_years": profile.prior_service_years,
                    }
                }
            )
        applications = Application.objects.filter(candidate=user).select_related("notice", "line", "centre")
        for a in applications.prefetch_related("documents"):
            rows.append(
                {
                    "reference": a.reference,
                    "notice": a.notice.title_fr or a.notice.title_ar,
                    "speciality": a.line.speciality,
                    "centre": a.centre.name if a.centre else "",
                    "name": a.full_name,
                    "civil_servant": a.is_civil_servant,
                    "status": a.status,
                    "submitted_at": a.submitted_at.isoformat(),
                    "documents": [d.display_name for d in a.documents.all()],
                }
            )
        return rows

    def erase(self, user, *, actor) -> int:
        count = CandidateProfile.objects.filter(user=user).delete()[0]
        count += _delete_documents(ApplicationDocument.objects.filter(application__candidate=user))
        published = ListEntry.objects.filter(application__candidate=user).values("application_id")
        count += Application.objects.filter(candidate=user).exclude(pk__in=published).update(full_name="")
        return count

    def purge(self, closed_before) -> int:
        return _delete_documents(ApplicationDocument.objects.filter(application__notice__deadline_at__lt=closed_before))
