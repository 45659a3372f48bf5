"""`PreparedInsert` writes what `save(force_insert=True)` writes: the same SQL, the same parameters,
the same instance afterwards, for each row a filing writes (case, event, outbox email, complaint)."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, connection, models, transaction
from django.db.models.functions import Now
from django.db.models.signals import pre_save
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from tawasul.cases.models import Case, CaseEvent
from tawasul.cases.services import _CASE_ROW, _EVENT_ROW
from tawasul.complaints.models import Complaint, Subject
from tawasul.complaints.services import _COMPLAINT_ROW
from tawasul.core.inserts import PreparedInsert, atomic_rows, insert_batch
from tawasul.core.references import is_reference, next_reference_and_keys
from tawasul.notifications.models import Notification
from tawasul.notifications.services import _NOTIFICATION_ROW
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2026, 7, 29, 9, 30, tzinfo=datetime.UTC)


def _statements(write):
    """The (sql, params) the database receives while `write()` runs, in a rolled-back savepoint."""
    seen = []

    def capture(execute, sql, params, many, context):
        seen.append((sql, [getattr(value, "obj", value) for value in params]))  # psycopg's Jsonb wraps `obj`
        return execute(sql, params, many, context)

    with transaction.atomic():
        with connection.execute_wrapper(capture):
            written = write()
        transaction.set_rollback(True)
    return seen, written


def _state(obj):
    """Every field value of an instance after its INSERT, but its new primary key."""
    return {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if not (field.primary_key and isinstance(field, models.AutoField))
    }


def _case_values(administration):
    return {
        "reference": "CHK-2026-0000001-9",
        "portal": "complaints",
        "kind": "complaint",
        "administration": administration,
        "channel": "mobile_app",
        "status": "submitted",
        "language": "ar",
        "first_name": "أمينة",
        "last_name": "الإدريسي",
        "id_type": "cin",
        "id_number": "AB123456",
        "email": "amina@example.ma",
        "phone": "+212612345678",
        "subject": "Retards",
        "description": "لم أتوصل بشهادة الإقامة رغم مرور شهرين.",
        "details": {"source": "test", "n": 1},
        "received_at": AT,
        "clock_started_at": AT,
        "first_action_due_at": AT + datetime.timedelta(days=2),
        "answer_due_at": AT + datetime.timedelta(days=60),
        "deadlines_provisional": True,
        "tracking_token_hash": "0" * 64,
        "idempotency_key": "key-1",
    }


def _assert_same_as_save(model, prepared, values):
    with time_machine.travel(AT, tick=False):
        slow_sql, slow = _statements(lambda: model.objects.create(**values))
        fast_sql, fast = _statements(lambda: prepared.create(**values))
    assert fast_sql == slow_sql
    assert len(fast_sql) == 1 and fast_sql[0][0].startswith("INSERT INTO")
    assert _state(fast) == _state(slow)
    assert fast.pk is not None and not fast._state.adding and fast._state.db == slow._state.db == "default"


def test_the_case_row_is_what_save_writes():
    _assert_same_as_save(Case, _CASE_ROW, _case_values(AdministrationFactory()))


def test_the_event_row_is_what_save_writes():
    case = _CASE_ROW.create(**_case_values(AdministrationFactory()))
    values = {
        "case": case,
        "action": "submitted",
        "to_status": "submitted",
        "actor_role": "requester",
        "is_public": True,
        "payload": {"channel": "mobile_app", "attachments": 0},
    }
    _assert_same_as_save(CaseEvent, _EVENT_ROW, values)


def test_the_outbox_row_is_what_save_writes():
    values = {
        "channel": "email",
        "to": "amina@example.ma",
        "template": "case_received",
        "context": {"reference": "CHK-2026-0000001-9", "answer_due": "2026-09-27", "_secret_keys": ["tracking_url"]},
        "language": "fr",
        "subject_ref": "CHK-2026-0000001-9",
        "next_attempt_at": AT,
    }
    _assert_same_as_save(Notification, _NOTIFICATION_ROW, values)


def test_the_complaint_row_is_what_save_writes():
    case = _CASE_ROW.create(**_case_values(AdministrationFactory()))
    subject = Subject.objects.create(code="ins-delays", name_ar="التأخر", name_fr="Retards")
    values = {"case": case, "subject": subject, "sub_subject": None, "place_address": "الرباط"}
    _assert_same_as_save(Complaint, _COMPLAINT_ROW, values)


def test_rows_read_back_equal():
    administration = AdministrationFactory()
    slow = Case.objects.create(**{**_case_values(administration), "reference": "CHK-2026-0000002-B"})
    fast = _CASE_ROW.create(
        **{**_case_values(administration), "reference": "CHK-2026-0000003-D", "idempotency_key": None}
    )
    slow_row, fast_row = Case.objects.get(pk=slow.pk), Case.objects.get(pk=fast.pk)
    different = {name for name, value in _state(slow_row).items() if _state(fast_row)[name] != value}
    assert different == {"reference", "idempotency_key", "created_at", "updated_at"}
    assert fast_row.details == {"source": "test", "n": 1} and fast_row.received_at == AT


def test_a_clash_marks_the_transaction_for_rollback_as_save_does():
    administration = AdministrationFactory()
    _CASE_ROW.create(**_case_values(administration))
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            _CASE_ROW.create(**{**_case_values(administration), "reference": "CHK-2026-0000004-F"})
        assert connection.needs_rollback  # the savepoint is rolled back on leaving the block


def test_an_expression_value_is_left_to_save():
    case = _CASE_ROW.create(**{**_case_values(AdministrationFactory()), "received_at": Now()})
    case.refresh_from_db()
    assert isinstance(case.received_at, datetime.datetime)


def test_save_receivers_are_honoured():
    calls = []

    def receiver(sender, instance, **kwargs):
        calls.append(instance.action)

    pre_save.connect(receiver, sender=CaseEvent, dispatch_uid="test-prepared-inserts")
    try:
        case = _CASE_ROW.create(**_case_values(AdministrationFactory()))
        _EVENT_ROW.create(case=case, action="noted", actor_role="officer")
    finally:
        pre_save.disconnect(sender=CaseEvent, dispatch_uid="test-prepared-inserts")
    assert calls == ["noted"]


def test_only_new_rows_of_its_model():
    case = _CASE_ROW.create(**_case_values(AdministrationFactory()))
    with pytest.raises(ValueError, match="new rows only"):
        _CASE_ROW.insert(case)
    with pytest.raises(TypeError):
        _CASE_ROW.insert(Notification(channel="email", to="a@b.ma", template="x"))
    with pytest.raises(ValueError):
        _CASE_ROW.create(**{**_case_values(AdministrationFactory()), "administration": AdministrationFactory.build()})


def test_a_model_with_its_own_save_needs_a_reason():
    with pytest.raises(ValueError, match="overrides save"):
        PreparedInsert(CaseEvent)


def test_a_field_that_writes_none_as_a_value_still_converts_it(monkeypatch):
    # Empty columns skip their conversion only when the field itself writes None as NULL.
    field = Case._meta.get_field("description")
    monkeypatch.setattr(
        field, "get_db_prep_save", lambda value, connection: "(none)" if value is None else value, raising=False
    )
    values = {**_case_values(AdministrationFactory()), "description": None}
    _assert_same_as_save(Case, PreparedInsert(Case), values)
    seen, _ = _statements(lambda: PreparedInsert(Case).create(**values))
    assert "(none)" in seen[0][1]


def test_values_of_other_types_are_converted_as_save_converts_them():
    # Values sent unchanged are the exact types a field's conversion returns as they are (a str
    # to a text column, a UTC datetime on PostgreSQL...); any other value takes the conversion.
    from zoneinfo import ZoneInfo

    from django.utils.translation import gettext_lazy

    from tawasul.cases.services import NormalizedPhone

    values = {
        **_case_values(AdministrationFactory()),
        "phone": NormalizedPhone("+212612345678"),  # a str subclass
        "subject": gettext_lazy("Complaint"),  # a lazy text
        "id_number": 123456,  # an int to a text column
        "first_action_due_at": AT.astimezone(ZoneInfo("Africa/Casablanca")),  # aware, not UTC
        "answer_due_at": datetime.datetime(2026, 9, 1, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
        "deadlines_provisional": 1,  # an int to a boolean column
    }
    _assert_same_as_save(Case, PreparedInsert(Case), values)


def test_a_field_whose_conversion_is_replaced_on_it_is_converted():
    field = Case._meta.get_field("first_name")
    prepared = PreparedInsert(Case)
    administration = AdministrationFactory()
    field.get_db_prep_save = lambda value, connection: f"<{value}>" if value else value
    try:
        seen, _ = _statements(lambda: prepared.create(**_case_values(administration)))
    finally:
        del field.get_db_prep_save
    assert "<أمينة>" in seen[-1][1]
    assert "amina@example.ma" in seen[-1][1]  # the others, unchanged


def test_a_pre_save_replaced_on_a_date_field_is_run_as_save_runs_it():
    field = Case._meta.get_field("answer_due_at")
    later = AT + datetime.timedelta(days=365)
    field.pre_save = lambda obj, add: later
    try:
        _assert_same_as_save(Case, PreparedInsert(Case), _case_values(AdministrationFactory()))
        seen, _ = _statements(lambda: PreparedInsert(Case).create(**_case_values(AdministrationFactory())))
    finally:
        del field.pre_save
    assert AT + datetime.timedelta(days=60) not in seen[-1][1]  # the attribute's own value was not sent


# --- insert_batch: a transaction's rows in one statement on PostgreSQL (ADR 0044) ---------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a batch holds rows on PostgreSQL only; elsewhere each is written at once"
)


def _batched_case_event_and_email(administration):
    """A case with its key taken beforehand, its event and an email, written in one batch."""
    case_key = next_reference_and_keys("CHK", year=2026, models=(Case,))[1].get(Case)
    case = Case(**{**_case_values(administration), "id": case_key})
    with insert_batch("default"):
        _CASE_ROW.insert(case)
        event = _EVENT_ROW.create(case=case, action="submitted", actor_role="requester")
        email = _NOTIFICATION_ROW.create(channel="email", to="amina@example.ma", template="case_received")
    return case, event, email


def test_a_batch_writes_the_same_rows_as_one_by_one():
    administration = AdministrationFactory()
    with time_machine.travel(AT, tick=False):
        case, event, email = _batched_case_event_and_email(administration)
    for obj in (case, event, email):
        assert obj.pk is not None and not obj._state.adding and obj._state.db == "default"
        assert _state(type(obj).objects.get(pk=obj.pk)) == _state(obj)
    assert Case.objects.get(pk=case.pk).reference == case.reference
    assert CaseEvent.objects.get(pk=event.pk).case_id == case.pk
    assert Notification.objects.get(pk=email.pk).to == "amina@example.ma"


@postgresql_only
def test_on_postgresql_a_batch_sends_one_statement_when_it_ends():
    administration = AdministrationFactory()
    case = Case(**{**_case_values(administration), "id": next_reference_and_keys("CHK", models=(Case,))[1][Case]})
    seen = []
    watch = connection.execute_wrapper(lambda execute, sql, *args: seen.append(sql) or execute(sql, *args))
    with transaction.atomic(), watch, insert_batch("default"):
        _CASE_ROW.insert(case)
        event = _EVENT_ROW.create(case=case, action="submitted", actor_role="requester")
        assert seen == [] and event.pk is None  # held: nothing sent yet
    assert len(seen) == 1 and seen[0].startswith('WITH "w0" AS (INSERT INTO')
    assert event.pk is not None and CaseEvent.objects.filter(pk=event.pk, case_id=case.pk).exists()


@postgresql_only
def test_a_batch_that_fails_writes_nothing():
    administration = AdministrationFactory()
    case = Case(**{**_case_values(administration), "id": next_reference_and_keys("CHK", models=(Case,))[1][Case]})
    with pytest.raises(RuntimeError), transaction.atomic(), insert_batch("default"):
        _CASE_ROW.insert(case)
        raise RuntimeError("the block failed before its end")
    assert not Case.objects.filter(pk=case.pk).exists()


@postgresql_only
def test_a_clash_in_a_batch_raises_at_its_end_and_rolls_the_transaction_back():
    administration = AdministrationFactory()
    _CASE_ROW.create(**_case_values(administration))  # holds the key "key-1"
    case = Case(**{**_case_values(administration), "id": next_reference_and_keys("CHK", models=(Case,))[1][Case]})
    with pytest.raises(IntegrityError), transaction.atomic(), insert_batch("default"):
        _CASE_ROW.insert(case)
        _EVENT_ROW.create(case=case, action="submitted", actor_role="requester")
    assert not CaseEvent.objects.filter(case_id=case.pk).exists()


@postgresql_only
def test_a_held_row_without_its_key_cannot_be_pointed_at():
    """A row that another row points to takes its key beforehand: Django's unsaved-object check
    refuses the pointing row otherwise, so no row is ever written without its parent."""
    case = Case(**_case_values(AdministrationFactory()))
    with pytest.raises(ValueError, match="unsaved related object"), transaction.atomic(), insert_batch("default"):
        _CASE_ROW.insert(case)
        _EVENT_ROW.create(case=case, action="submitted", actor_role="requester")


def test_keys_taken_with_a_number_are_the_rows_keys_on_postgresql_and_none_elsewhere():
    reference, keys = next_reference_and_keys("CHK", year=2026, models=(Case, Notification))
    assert is_reference(reference)
    if connection.vendor == "postgresql":
        assert set(keys) == {Case, Notification} and all(isinstance(key, int) for key in keys.values())
        case = _CASE_ROW.create(**{**_case_values(AdministrationFactory()), "id": keys[Case]})
        later = _CASE_ROW.create(
            **{**_case_values(AdministrationFactory()), "reference": "CHK-2026-0000002-B", "idempotency_key": None}
        )
        assert later.pk > case.pk  # the sequence moved past the key taken
    else:
        assert keys == {}


# --- atomic_rows: outside any transaction, the rows' one statement is the transaction (ADR 0049)


def _sent(block):
    """The statements the database receives while `block()` runs, transaction commands included."""
    with CaptureQueriesContext(connection) as queries:
        block()
    return [query["sql"] for query in queries]


def _case_with_key(administration, **changes):
    key = next_reference_and_keys("CHK", year=2026, models=(Case,))[1].get(Case)
    return Case(**{**_case_values(administration), "id": key, **changes})


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_rows_are_one_statement_without_begin_or_commit():
    case = _case_with_key(AdministrationFactory())

    def write():
        with atomic_rows("default"):
            _CASE_ROW.insert(case)
            _EVENT_ROW.create(case=case, action="submitted", actor_role="requester")

    sent = _sent(write)
    assert len(sent) == 1 and sent[0].startswith('WITH "w0" AS (INSERT INTO')
    assert CaseEvent.objects.filter(case_id=case.pk).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_block_that_fails_writes_nothing_and_runs_no_callback():
    case = _case_with_key(AdministrationFactory())
    ran = []
    with pytest.raises(RuntimeError), atomic_rows("default"):
        _CASE_ROW.insert(case)
        transaction.on_commit(lambda: ran.append("after"))
        raise RuntimeError("the filing failed before its end")
    assert not Case.objects.filter(pk=case.pk).exists()
    assert ran == []


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_clash_writes_none_of_the_rows():
    administration = AdministrationFactory()
    _CASE_ROW.create(**_case_values(administration))  # holds the idempotency key "key-1"
    case = _case_with_key(administration, reference="CHK-2026-0000002-B")
    ran = []
    with pytest.raises(IntegrityError), atomic_rows("default"):
        _CASE_ROW.insert(case)
        _EVENT_ROW.create(case=case, action="submitted", actor_role="requester")
        transaction.on_commit(lambda: ran.append("after"))
    assert not CaseEvent.objects.filter(case_id=case.pk).exists()
    assert ran == []
    assert Case.objects.count() == 1  # the connection is usable at once: no transaction to end


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_row_pointing_nowhere_is_refused_with_the_others():
    """The foreign keys are checked at the end of the one statement, which is the transaction."""
    case = _case_with_key(AdministrationFactory())
    case.administration_id = 987_654_321
    with pytest.raises(IntegrityError), atomic_rows("default"):
        _CASE_ROW.insert(case)
        _EVENT_ROW.create(case=case, action="submitted", actor_role="requester")
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not CaseEvent.objects.filter(case_id=case.pk).exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_callback_runs_once_the_rows_are_written():
    case = _case_with_key(AdministrationFactory())
    seen = []
    with atomic_rows("default"):
        _CASE_ROW.insert(case)
        transaction.on_commit(lambda: seen.append(Case.objects.filter(pk=case.pk).exists()))
        assert seen == []
    assert seen == [True]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_write_that_is_not_held_is_refused_before_it_is_sent():
    """It would be committed on its own, apart from the held rows: nothing is written."""
    administration = AdministrationFactory()
    case = _case_with_key(administration)
    with pytest.raises(TransactionManagementError, match="Only reads"), atomic_rows("default"):
        _CASE_ROW.insert(case)
        assert Case.objects.filter(administration=administration).count() == 0  # reads are fine
        Subject.objects.create(code="not-held", name_ar="م", name_fr="m")
    assert not Subject.objects.filter(code="not-held").exists()
    assert not Case.objects.filter(pk=case.pk).exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_locking_read_is_refused_too():
    with pytest.raises(TransactionManagementError), atomic_rows("default"):
        list(Subject.objects.select_for_update())


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_the_rows_belong_to_it():
    """A caller's transaction keeps its meaning: the rows are written in it and rolled back with it."""
    administration = AdministrationFactory()
    case = _case_with_key(administration)
    with pytest.raises(RuntimeError), transaction.atomic():
        with atomic_rows("default"):
            _CASE_ROW.insert(case)
            Subject.objects.create(code="in-the-callers-transaction", name_ar="م", name_fr="m")
        assert Case.objects.filter(pk=case.pk).exists()
        raise RuntimeError("the caller's transaction fails")
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Subject.objects.filter(code="in-the-callers-transaction").exists()


@pytest.mark.django_db(transaction=True)
def test_a_block_that_may_write_other_rows_is_an_ordinary_transaction():
    administration = AdministrationFactory()
    case = _case_with_key(administration)

    def write():
        with atomic_rows("default", one_statement=False):
            _CASE_ROW.insert(case)
            Subject.objects.create(code="with-the-case", name_ar="م", name_fr="m")

    sent = _sent(write)
    assert Case.objects.filter(pk=case.pk).exists() and Subject.objects.filter(code="with-the-case").exists()
    if connection.vendor == "postgresql":
        assert sent[0] == "BEGIN" and sent[-1] == "COMMIT"
