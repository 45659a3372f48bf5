"""ADR 0009: the forms and services a workflow table names by dotted path exist, so a typo
fails the suite rather than a staff page."""

import inspect

import pytest
from django import forms
from django.utils.module_loading import import_string

from tawasul.cases.workflow import registered_workflows


def _named_paths():
    for portal, workflow in sorted(registered_workflows().items()):
        for transition in workflow.transitions:
            for attribute in ("form", "service"):
                path = getattr(transition, attribute)
                if path:
                    yield pytest.param(attribute, path, id=f"{portal}:{transition.action}:{attribute}")


@pytest.mark.parametrize(("attribute", "path"), list(_named_paths()) or [pytest.param(None, None, id="none")])
def test_every_named_form_and_service_exists(attribute, path):
    if path is None:
        pytest.skip("no workflow names a form or a service yet")
    target = import_string(path)
    if attribute == "form":
        assert issubclass(target, forms.BaseForm)
    else:
        assert callable(target)
        parameters = inspect.signature(target).parameters
        assert {"case", "actor"} <= set(parameters), f"{path} must take case= and actor="
