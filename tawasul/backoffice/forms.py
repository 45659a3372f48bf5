"""Forms of the back office: shape only, the services decide the rules (ARCHITECTURE.md §3.5).

The default action forms follow interfaces.md "Staff action forms": they accept and pop `case`
and `actor`, and name their free text `note`.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tawasul.cases.models import Channel
from tawasul.cases.workflow import REQUESTER, SYSTEM, registered_workflows
from tawasul.core.forms import PortalForm
from tawasul.registry.models import Administration
from tawasul.registry.selectors import administrations_joined

from .models import AnswerTemplate
from .selectors import DEFAULT_SORT, STATUS_ALL, STATUS_CLOSED, STATUS_OPEN, InboxFilters, all_statuses

#: Length of a staff text (the citizen's own description allows as much).
NOTE_MAX_CHARS = 5000
PAGE_SIZES = (25, 50, 100)


#: The back office's forms render like the portals' (Bootstrap, errors tied to their fields).
BootstrapForm = PortalForm


# --- Inbox ---------------------------------------------------------------------------------


def _status_choices():
    choices = [
        (STATUS_OPEN, _("Open cases")),
        (STATUS_CLOSED, _("Closed cases")),
        (STATUS_ALL, _("All cases")),
    ]
    seen = set()
    for _portal, status, label in all_statuses():
        if status not in seen:
            seen.add(status)
            choices.append((status, _(label)))
    return choices


def _portal_choices():
    return [("", _("All portals")), *((p, p.replace("_", " ").capitalize()) for p in sorted(registered_workflows()))]


def _kind_choices():
    kinds = sorted({k for workflow in registered_workflows().values() for k in workflow.kinds})
    return [("", _("All kinds")), *((k, k.replace("_", " ").capitalize()) for k in kinds)]


class InboxFilterForm(BootstrapForm):
    """The inbox's GET form: every field optional, a wrong value is ignored (a filter never
    fails the page)."""

    q = forms.CharField(label=_("Reference or words of the subject"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    portal = forms.ChoiceField(label=_("Portal"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices])
    administration = forms.ModelChoiceField(
        label=_("Administration"), required=False, queryset=Administration.objects.none(), empty_label=_("All")
    )
    overdue = forms.BooleanField(label=_("Overdue"), required=False)
    due_within = forms.IntegerField(label=_("Due within (working days)"), required=False, min_value=0, max_value=60)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    unassigned = forms.BooleanField(label=_("Unassigned"), required=False)
    level = forms.TypedChoiceField(
        label=_("Escalation level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All levels")), ("1", "1"), ("2", "2"), ("3", "3")],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("received_desc", _("Received, newest first")),
            ("received_asc", _("Received, oldest first")),
            ("due", _("Answer due date")),
            ("level", _("Escalation level")),
        ],
    )
    per_page = forms.TypedChoiceField(
        label=_("Per page"), required=False, coerce=int, empty_value=PAGE_SIZES[0], choices=[(n, n) for n in PAGE_SIZES]
    )

    def __init__(self, *args, administrations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _status_choices()
        self.fields["portal"].choices = _portal_choices()
        self.fields["kind"].choices = _kind_choices()
        if administrations is not None:
            self.fields["administration"].queryset = administrations

    def filters(self) -> tuple[InboxFilters, int]:
        """The filters to apply and the page size; invalid fields fall back to their default."""
        self.is_valid()
        data = {name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors}
        filters = InboxFilters(
            status=data.get("status") or STATUS_OPEN,
            portal=data.get("portal") or "",
            kind=data.get("kind") or "",
            channel=data.get("channel") or "",
            overdue=bool(data.get("overdue")),
            due_within=data.get("due_within"),
            mine=bool(data.get("mine")),
            unassigned=bool(data.get("unassigned")),
            level=data.get("level"),
            administration=data.get("administration"),
            q=data.get("q") or "",
            sort=data.get("sort") or DEFAULT_SORT,
        )
        return filters, data.get("per_page") or PAGE_SIZES[0]


# --- Default action forms (interfaces.md) --------------------------------------------------


class ActionForm(BootstrapForm):
    """The base of the back office's own action forms: pops `case` and `actor`."""

    def __init__(self, *args, case=None, actor=None, **kwargs):
        self.case, self.actor = case, actor
        super().__init__(*args, **kwargs)


def _note_field(label, *, required: bool):
    return forms.CharField(
        label=label, required=required, max_length=NOTE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 4})
    )


def default_form_class(transition) -> type[forms.Form]:
    """The form of a transition that names none: a note when it writes a message (required when
    the workflow says so), a target administration and a reason for a transfer, else nothing."""
    if transition.moves_administration:
        return TransferDefaultForm
    if transition.message_kind:
        return NoteRequiredForm if transition.note_required else NoteOptionalForm
    return ConfirmForm


class ConfirmForm(ActionForm):
    """An action without fields (acknowledge, start, close...): a button."""


class NoteRequiredForm(ActionForm):
    note = _note_field(_("Text"), required=True)


class NoteOptionalForm(ActionForm):
    note = _note_field(_("Text (optional)"), required=False)


class AdministrationField(forms.CharField):
    """An administration typed by its code or its name (a text input with a `<datalist>` of the
    joined administrations: works without JavaScript, checked on the server)."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        text = value.strip()
        joined = administrations_joined()
        found = joined.filter(code__iexact=text).first()
        if found is None:
            by_name = joined.filter(
                Q(name_ar__iexact=text) | Q(name_fr__iexact=text) | Q(name_en__iexact=text) | Q(name_zgh__iexact=text)
            )
            if by_name.count() == 1:
                found = by_name.first()
        if found is None:
            raise forms.ValidationError(
                _("No administration on the platform has this code or name. Choose one from the list."),
                code="unknown_administration",
            )
        return found


class TransferDefaultForm(ActionForm):
    """A transfer (a `moves_administration` transition without its own form): the competent
    administration and the reason, which goes into the public event's payload `reason`."""

    administration = AdministrationField(
        label=_("Competent administration (code or name)"),
        max_length=255,
        widget=forms.TextInput(attrs={"list": "backoffice-administrations", "autocomplete": "off"}),
    )
    note = _note_field(_("Reason of the transfer (the requester reads it)"), required=True)

    def clean_administration(self):
        administration = self.cleaned_data.get("administration")
        if administration is not None and self.case is not None and administration.pk == self.case.administration_id:
            raise forms.ValidationError(_("The case is already with this administration."), code="same_administration")
        return administration


# --- Back-office actions on every case --------------------------------------------------------


class AssignForm(BootstrapForm):
    assignee = forms.TypedChoiceField(label=_("Assign to"), coerce=int)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        self.fields["assignee"].choices = [
            ("", _("Choose")),
            *((person.pk, person.get_full_name() or person.email or person.get_username()) for person in people),
        ]

    def clean_assignee(self):
        return self.people[self.cleaned_data["assignee"]]


class InternalNoteForm(BootstrapForm):
    body = forms.CharField(
        label=_("Internal note (never shown to the requester)"),
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StaffFileForm(BootstrapForm):
    file = forms.FileField(label=_("File"))
    visibility = forms.ChoiceField(
        label=_("Who sees it"),
        choices=[("internal", _("Staff only")), ("public", _("The requester too"))],
        initial="internal",
        widget=forms.RadioSelect,
    )


# --- Answer templates ------------------------------------------------------------------------


def template_action_choices() -> list[tuple[str, str]]:
    """`portal:action` for every staff action that writes a text, in every registered workflow."""
    choices = []
    for portal, workflow in sorted(registered_workflows().items()):
        seen = set()
        for transition in workflow.transitions:
            staff_roles = set(transition.roles) - {REQUESTER, SYSTEM}
            if transition.action in seen or not staff_roles:
                continue
            if transition.message_kind or transition.form or transition.moves_administration:
                seen.add(transition.action)
                label = transition.label or transition.action.replace("_", " ")
                choices.append((f"{portal}:{transition.action}", f"{portal} — {_(label)}"))
        choices.append((f"{portal}:internal_note", f"{portal} — {_('Internal note')}"))
    return choices


class AnswerTemplateForm(BootstrapForm):
    administration = forms.ModelChoiceField(label=_("Administration"), queryset=Administration.objects.none())
    portal_action = forms.ChoiceField(label=_("Action"))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("You may write {reference} and {received_date}: they are replaced by the case's."),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, administrations=None, instance: AnswerTemplate | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "administration": instance.administration_id,
                "portal_action": f"{instance.portal}:{instance.action}",
                "language": instance.language,
                "title": instance.title,
                "body": instance.body,
                "is_active": instance.is_active,
            }
        super().__init__(*args, **kwargs)
        self.fields["portal_action"].choices = template_action_choices()
        if administrations is not None:
            self.fields["administration"].queryset = administrations

    def clean(self):
        cleaned = super().clean()
        portal_action = cleaned.pop("portal_action", "")
        if portal_action:
            cleaned["portal"], cleaned["action"] = portal_action.split(":", 1)
        return cleaned
