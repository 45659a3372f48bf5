"""Attachments are judged by their content (issue 3): real small files pass, hostile ones are
refused with a precise code, and a refused file leaves nothing in storage."""

import pytest
from django.core.files.storage import default_storage
from django.utils import translation

from tawasul.core.uploads import UploadRejected, check_upload, safe_display_name, store_checked_file

from .upload_corpus import (
    docx_bytes,
    image_bomb_png,
    image_bytes,
    mp4_bytes,
    odt_bytes,
    pdf_bytes,
    upload,
    zip_bomb_bytes,
)

ACCEPTED = [
    ("letter.pdf", lambda: pdf_bytes(), "pdf", "application/pdf", ".pdf"),
    ("photo.png", lambda: image_bytes("PNG"), "image", "image/png", ".png"),
    ("photo.jpg", lambda: image_bytes("JPEG"), "image", "image/jpeg", ".jpg"),
    ("photo.webp", lambda: image_bytes("WEBP"), "image", "image/webp", ".webp"),
    (
        "report.docx",
        lambda: docx_bytes(),
        "office",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    ("report.odt", lambda: odt_bytes(), "office", "application/vnd.oasis.opendocument.text", ".odt"),
    ("clip.mp4", lambda: mp4_bytes(), "video", "video/mp4", ".mp4"),
]

REFUSED = [
    ("renamed_exe.pdf", lambda: b"MZ\x90\x00" + b"\x00" * 300, "executable"),
    ("linux.jpg", lambda: b"\x7fELF\x02\x01\x01" + b"\x00" * 300, "executable"),
    ("script.pdf", lambda: b"#!/bin/sh\nrm -rf ~\n", "script"),
    ("page.pdf", lambda: b"<!DOCTYPE html><html><script>alert(1)</script></html>", "script"),
    ("drawing.png", lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "svg"),
    ("drawing2.png", lambda: b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "svg"),
    ("empty.pdf", lambda: b"", "empty"),
    ("notes.txt", lambda: b"just some text", "unsupported_type"),
    ("fake.pdf", lambda: b"%PDF-1.7\nnot really a pdf\n%%EOF\n", "corrupt"),
    ("js.pdf", lambda: pdf_bytes(javascript=True), "pdf_active_content"),
    ("launch.pdf", lambda: pdf_bytes(launch=True), "pdf_active_content"),
    ("embedded.pdf", lambda: pdf_bytes(embedded=True), "pdf_active_content"),
    ("locked.pdf", lambda: pdf_bytes(password="secret"), "pdf_encrypted"),
    ("pdf_with_zip.pdf", lambda: pdf_bytes() + docx_bytes(), "polyglot"),
    ("png_with_zip.png", lambda: image_bytes("PNG") + docx_bytes(), "polyglot"),
    ("jpg_with_zip.jpg", lambda: image_bytes("JPEG") + docx_bytes(), "polyglot"),
    ("png_with_php.png", lambda: image_bytes("PNG") + b"<?php system($_GET[1]); ?>", "polyglot"),
    ("docx_with_pdf.docx", lambda: docx_bytes() + pdf_bytes(), "polyglot"),
    ("pdf_header_zip.pdf", lambda: b"%PDF-1.4\n" + docx_bytes(), "polyglot"),
    ("truncated.png", lambda: image_bytes("PNG")[:60], "polyglot"),
    ("bomb.png", lambda: image_bomb_png(), "image_too_large"),
    ("macro.docx", lambda: docx_bytes(macro=True), "office_macros"),
    ("zipbomb.docx", lambda: zip_bomb_bytes(), "archive_bomb"),
    ("movie.mov", lambda: mp4_bytes(b"qt  ").replace(b"isomiso2avc1mp41", b"qt  qt  qt  qt  "), "unsupported_type"),
    ("broken.mp4", lambda: mp4_bytes()[:-10], "corrupt"),
]


@pytest.mark.parametrize(("name", "make", "kind", "mime", "extension"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_real_small_files_are_accepted(name, make, kind, mime, extension):
    checked = check_upload(upload(name, make()))
    assert (checked.kind, checked.mime, checked.extension) == (kind, mime, extension)
    assert checked.safe_name == name
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(("name", "make", "code"), REFUSED, ids=[r[0] for r in REFUSED])
def test_hostile_files_are_refused_with_their_reason(name, make, code):
    with pytest.raises(UploadRejected) as refused:
        check_upload(upload(name, make()))
    assert refused.value.code == code


def test_the_name_does_not_decide_the_type():
    checked = check_upload(upload("invoice.exe", image_bytes("PNG")))
    assert checked.extension == ".png"


def test_size_limits_are_per_kind(settings):
    settings.UPLOAD_MAX_BYTES = {"pdf": 10_000_000, "image": 50, "office": 10_000_000, "video": 10_000_000}
    with pytest.raises(UploadRejected) as refused:
        check_upload(upload("photo.png", image_bytes("PNG")))
    assert refused.value.code == "too_large"
    assert check_upload(upload("letter.pdf", pdf_bytes())).kind == "pdf"


def test_refusal_message_is_in_the_active_language():
    error = UploadRejected("svg")
    with translation.override("en"):
        assert "SVG" in error.message


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\شكاية.pdf", "شكاية.pdf"),
        ("photo\u202egpj.exe", "photogpj.exe"),
        ("a\x00b\x1fc.pdf", "abc.pdf"),
        ("\u2067name\u2069.pdf", "name.pdf"),
        ("..", "file.pdf"),
        (".htaccess", "htaccess"),
        ("x" * 300 + ".pdf", "x" * 96 + ".pdf"),
    ],
)
def test_display_names_are_cleaned(given, expected):
    assert safe_display_name(given, extension=".pdf") == expected


def test_stored_file_has_a_random_name_and_no_partial_file_remains(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    data = pdf_bytes()
    uploaded = upload("../../letter.pdf", data)
    checked = check_upload(uploaded)
    name = store_checked_file(uploaded, checked, folder="cases")
    assert name.startswith("cases/") and name.endswith(".pdf") and "letter" not in name
    assert default_storage.open(name).read() == data
    leftovers = list(tmp_path.rglob("*.part"))
    assert leftovers == []
