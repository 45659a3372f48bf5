"""The demo loader: sites on the demo facilities, the activities of seed 003, a few hundred
answers; deterministic and safe to run twice."""

import io

import pytest

from tawasul.facilities.tests.factories import FacilityFactory
from tawasul.reception import demo, selectors
from tawasul.reception.models import Activity, ReceptionSite, SurveyAnswer
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db


def test_demo_builds_sites_activities_and_answers():
    admins = {
        code: AdministrationFactory(code=code)
        for code in ("interieur", "sante", "cnss", "dgi", "transport", "affaires-consulaires", "dgapr")
    }
    owner = {"wilaya": "interieur", "chu": "sante", "cnss": "cnss", "dgi": "dgi"}
    for code, _label, _missing in demo.SITES:
        key = next((k for k in owner if k in code), None)
        FacilityFactory(code=code, administration=admins[owner[key]] if key else None)
    demo.load(io.StringIO())
    sites = ReceptionSite.objects.all()
    assert sites.count() == 6  # the post office and the court have no demo administration here
    assert sites.filter(is_model_site=True).count() == 3
    for site in sites.filter(is_model_site=True):
        assert selectors.site_missing_items(site) == []
    seed = Activity.objects.filter(planned_start__year=2018)
    assert seed.count() == 4
    assert selectors.progress(seed)["completion"] == 100  # seed 003: "100%"
    assert SurveyAnswer.objects.count() == demo.ANSWERS
    for activity in Activity.objects.all():
        activity.full_clean()
    demo.load(io.StringIO())
    assert (ReceptionSite.objects.count(), Activity.objects.count(), SurveyAnswer.objects.count()) == (
        6,
        8,
        demo.ANSWERS,
    )
