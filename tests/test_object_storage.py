"""Attachments in an S3-compatible bucket (SPEC.md "Going past one machine"; ADR 0035).

Against a real S3 HTTP server in its own process (moto, `tests/s3server.py`): a complaint's photo
filed through the real form and the real API lands in the bucket and nowhere on disk; it comes
back only through the access-checked views, streamed with its length; the storage never gives
out a bucket URL; `backup --media` / `restore --media` carry the bucket's files, and an archive
of MEDIA_ROOT restores into a bucket (moving a deployment to object storage).
"""

from __future__ import annotations

import io
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from tawasul.cases.models import Attachment, Case
from tawasul.cases.tests.factories import make_staff
from tawasul.complaints.tests.factories import make_complaint, png_upload, valid_form_data
from tawasul.core.storage import is_local, iter_stored_files
from tawasul.core.storage_s3 import ObjectReader, PrivateS3Storage
from tawasul.registry.tests.factories import AdministrationFactory
from tests.s3server import S3Server

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def s3_server():
    server = S3Server().start()
    yield server
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, _media):
    """Each test gets its own empty bucket as the default storage; MEDIA_ROOT must stay empty."""
    name, entry = s3_server.bucket()
    settings.STORAGES = {**settings.STORAGES, "default": entry}
    assert not is_local(default_storage)
    yield name
    assert not _media.exists() or not any(p.is_file() for p in _media.rglob("*")), "a file was written to disk"


def url(app, name, lang="fr", **kwargs):
    with translation.override(lang):
        return reverse(f"{app}:{name}", kwargs=kwargs or None)


def _proven(client, case):
    client.get(url("complaints", "track_link", reference=case.reference, token=case.tracking_token))
    return client


def test_a_photo_filed_through_the_form_is_stored_in_the_bucket_and_downloaded_through_the_view(
    client, bucket, s3_server
):
    administration = AdministrationFactory()
    photo = png_upload("facture.png")
    sent = photo.read()
    photo.seek(0)
    response = client.post(url("complaints", "file_form"), {**valid_form_data(administration), "attachments": [photo]})
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = Attachment.objects.get()
    assert s3_server.keys(bucket) == [attachment.storage_name]  # one upload, no temporary object left
    assert s3_server.client().get_object(Bucket=bucket, Key=attachment.storage_name)["Body"].read() == sent

    case = Case.objects.get()
    link = url("complaints", "attachment", reference=case.reference, pk=attachment.pk)
    assert client_class_instance().get(link).status_code == 404  # a browser without the proof
    download = client.get(link)  # the browser that filed holds the proof
    assert download.status_code == 200
    assert download["Content-Length"] == str(len(sent))
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == sent


def client_class_instance():
    from django.test import Client

    return Client()


def test_another_requesters_proof_does_not_open_the_file(bucket):
    mine = make_complaint(attachments=[png_upload("mine.png")])
    other = make_complaint()
    attachment = mine.attachments.get()
    client = _proven(client_class_instance(), other)
    assert client.get(url("complaints", "attachment", reference=mine.reference, pk=attachment.pk)).status_code == 404
    # The other case's own URL with this attachment's id: not its attachment either.
    assert client.get(url("complaints", "attachment", reference=other.reference, pk=attachment.pk)).status_code == 404


def test_staff_download_from_the_bucket_checks_the_administration(bucket):
    administration, elsewhere = AdministrationFactory(), AdministrationFactory()
    case = make_complaint(administration=administration, attachments=[png_upload()])
    attachment = case.attachments.get()
    link = f"/fr/staff/case/{case.reference}/files/{attachment.pk}/"
    officer, foreign_officer = client_class_instance(), client_class_instance()
    officer.force_login(make_staff(administration))
    foreign_officer.force_login(make_staff(elsewhere))
    response = officer.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert foreign_officer.get(link).status_code == 404


def test_the_api_uploads_to_the_bucket_and_its_signed_link_downloads(bucket, s3_server):
    administration = AdministrationFactory()
    case = make_complaint(administration=administration)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="fr")
    proof = {"HTTP_AUTHORIZATION": f"Tracking {case.reference}:{case.tracking_token}"}
    upload = png_upload("recu.png")
    sent = upload.read()
    upload.seek(0)
    response = api.post(f"/api/v1/cases/{case.reference}/attachments/", {"file": upload}, format="multipart", **proof)
    assert response.status_code == 201, response.content[:500]
    (item,) = response.json()["attachments"]
    assert s3_server.keys(bucket) == [Attachment.objects.get(pk=item["id"]).storage_name]
    download = APIClient().get(item["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == sent
    assert APIClient().get(f"/api/v1/cases/{case.reference}/attachments/{item['id']}/").status_code == 404


def test_an_information_requests_file_comes_from_the_bucket_to_its_requester_only(bucket):
    from tawasul.information.tests.factories import make_request

    mine = make_request(attachments=[png_upload("piece.png")])
    other = make_request()
    attachment = mine.attachments.get()
    link = url("information", "attachment", reference=mine.reference, pk=attachment.pk)
    requester = client_class_instance()
    requester.get(url("information", "track_link", reference=mine.reference, token=mine.tracking_token))
    response = requester.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    someone_else = client_class_instance()
    someone_else.get(url("information", "track_link", reference=other.reference, token=other.tracking_token))
    assert someone_else.get(link).status_code == 404
    assert client_class_instance().get(link).status_code == 404


def test_a_catalog_form_is_stored_in_the_bucket_and_downloaded_once_published(client, bucket, s3_server):
    from tawasul.catalog import services
    from tawasul.catalog.models import Procedure
    from tawasul.catalog.tests.factories import make_editor, make_national_unit, make_procedure
    from tawasul.core.tests.upload_corpus import pdf_bytes, upload

    procedure = make_procedure(code="formulaire-s3", status=Procedure.Status.DRAFT)
    editor = make_editor(procedure.administration)
    data = pdf_bytes()
    form = services.procedure_form_add(
        actor=editor, procedure=procedure, uploaded_file=upload("demande.pdf", data), title_ar="مطبوع"
    )
    assert s3_server.keys(bucket) == [form.file.name]
    link = reverse("catalog:form_download", args=[procedure.code, form.pk])
    assert client.get(link).status_code == 404  # a draft's form is not public
    services.procedure_submit_for_review(actor=editor, procedure=procedure)
    services.procedure_publish(actor=make_national_unit(), procedure=procedure)
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(data))
    assert b"".join(response.streaming_content) == data


def test_an_object_missing_from_the_bucket_answers_404(client, bucket, s3_server):
    case = make_complaint(attachments=[png_upload()])
    attachment = case.attachments.get()
    s3_server.client().delete_object(Bucket=bucket, Key=attachment.storage_name)
    link = url("complaints", "attachment", reference=case.reference, pk=attachment.pk)
    assert _proven(client, case).get(link).status_code == 404


def test_the_storage_gives_no_bucket_address_and_sets_no_public_grant(bucket, s3_server, settings):
    name = default_storage.save("cases/probe.pdf", ContentFile(b"%PDF-1.4 probe"))
    assert default_storage.url(name) == f"{settings.MEDIA_URL}{name}"
    assert s3_server.endpoint not in default_storage.url(name)
    grants = s3_server.client().get_object_acl(Bucket=bucket, Key=name)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("Type") == "Group"]  # no AllUsers / AuthenticatedUsers
    with pytest.raises(NotImplementedError):
        default_storage.path(name)  # nothing may rely on a local path


def test_names_are_never_overwritten(bucket):
    first = default_storage.save("catalog/forms/form.pdf", ContentFile(b"one"))
    second = default_storage.save("catalog/forms/form.pdf", ContentFile(b"two"))
    assert first != second
    assert default_storage.open(first).read() == b"one"


def test_the_reader_streams_with_ranges_seeks_and_refuses_a_short_body(bucket, s3_server):
    data = bytes(range(256)) * 12_000  # 3 MB: more than one read chunk
    name = default_storage.save("cases/big.bin", ContentFile(data))
    with default_storage.open(name, "rb") as stream:
        assert stream.size == len(data)
        assert stream.read(10) == data[:10]
        stream.seek(2_000_000)
        assert stream.read(5) == data[2_000_000:2_000_005]
        stream.seek(0)
        assert stream.read() == data
    reader = ObjectReader(s3_server.client(), bucket, name, size=len(data) + 10)  # the object is shorter
    with pytest.raises(OSError, match="ended at byte"):
        reader.read(len(data) + 10) and reader.read(10)
    with pytest.raises(FileNotFoundError):
        default_storage.open("cases/none.bin")


def test_an_s3_storage_needs_a_bucket():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="STORAGE_S3_BUCKET"):
        PrivateS3Storage(bucket_name="", endpoint_url="http://127.0.0.1:1")


# --- Backups ----------------------------------------------------------------------------------------


def _members(archive_path) -> dict[str, bytes]:
    with tarfile.open(archive_path, "r:gz") as archive:
        return {m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()}


@pytest.mark.django_db(transaction=True)  # an open test transaction keeps SQLite's backup API waiting
def test_backup_media_archives_the_bucket_and_restore_puts_it_back(bucket, s3_server, tmp_path, client):
    case = make_complaint(attachments=[png_upload("photo.png")])
    attachment = case.attachments.get()
    sent = s3_server.client().get_object(Bucket=bucket, Key=attachment.storage_name)["Body"].read()
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), "--media", stdout=out)
    _database_file, media_archive = out.getvalue().split()
    assert _members(media_archive) == {f"media/{attachment.storage_name}": sent}

    s3_server.client().delete_object(Bucket=bucket, Key=attachment.storage_name)
    call_command("restore", "--media", media_archive, stdout=io.StringIO())
    assert s3_server.keys(bucket) == [attachment.storage_name]
    download = _proven(client, case).get(url("complaints", "attachment", reference=case.reference, pk=attachment.pk))
    assert b"".join(download.streaming_content) == sent


@pytest.mark.django_db(transaction=True)  # an open test transaction keeps SQLite's backup API waiting
def test_an_archive_of_media_root_restores_into_the_bucket(s3_server, settings, tmp_path, _media):
    """Moving a deployment from MEDIA_ROOT to a bucket: back up the files on the filesystem
    storage, switch STORAGE_BACKEND to s3, restore the archive."""
    case = make_complaint(attachments=[png_upload()])
    attachment = case.attachments.get()
    sent = default_storage.open(attachment.storage_name).read()
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), "--media", stdout=out)
    media_archive = out.getvalue().split()[1]

    _bucket_name, entry = s3_server.bucket()
    settings.STORAGES = {**settings.STORAGES, "default": entry}
    call_command("restore", "--media", media_archive, stdout=io.StringIO())
    assert dict(iter_stored_files(default_storage)) == {attachment.storage_name: len(sent)}
    assert default_storage.open(attachment.storage_name).read() == sent


@pytest.mark.parametrize("bad", ["media/../escape.txt", "elsewhere/file.txt", "media/a/../../b"])
def test_restore_into_the_bucket_refuses_an_unsafe_archive_and_writes_nothing(bucket, s3_server, tmp_path, bad):
    archive_path = tmp_path / "evil.tar.gz"
    with tarfile.open(archive_path, "w:gz") as archive:
        for member_name in ("media/cases/fine.png", bad):
            member = tarfile.TarInfo(member_name)
            member.size = 3
            archive.addfile(member, io.BytesIO(b"abc"))
    with pytest.raises(CommandError, match="unsafe"):
        call_command("restore", "--media", str(archive_path), stdout=io.StringIO())
    assert s3_server.keys(bucket) == []


def test_restore_needs_a_database_file_or_a_media_archive():
    with pytest.raises(CommandError, match="--media"):
        call_command("restore", stdout=io.StringIO())
