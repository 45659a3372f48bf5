"""A corpus of hostile uploads, made by code (nothing downloaded; issue 8 item 3).

Each entry is (name, file name as sent, bytes, why it must be refused).
"""

from __future__ import annotations

import io
import zipfile

from PIL import Image


def _png(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _minimal_pdf() -> bytes:
    """A real one-page PDF (so that the polyglots below are hostile only by what they add)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _bomb_png() -> bytes:
    """A 1-bit 20,000 x 20,000 PNG (400 Mpx, ten times the limit) compressed to a few kB."""
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000), 0).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _mp4_header(total: int) -> bytes:
    """An `ftyp` box then an `mdat` box declared to fill `total` bytes."""
    ftyp = (24).to_bytes(4, "big") + b"ftypisom" + b"\x00\x00\x02\x00" + b"isomiso2"
    return ftyp + (total - len(ftyp)).to_bytes(4, "big") + b"mdat"


def corpus(*, oversized_video_bytes: int) -> list[tuple[str, str, bytes, str]]:
    pdf = _minimal_pdf()
    html = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
    video_head = _mp4_header(oversized_video_bytes)
    return [
        ("fake_pdf", "releve.pdf", b"%PDF-1.7\n" + b"this is not a pdf at all\n" * 20, "corrupt"),
        ("pdf_html_polyglot", "facture.pdf", pdf + b"\n" + html, "polyglot"),
        ("html_pdf_polyglot", "facture.pdf", html + b"\n" + pdf, "script"),
        (
            "pdf_with_javascript",
            "note.pdf",
            pdf.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
            "pdf_active_content",
        ),
        ("jpeg_with_trailing_zip", "photo.jpg", _jpeg() + _zip({"payload.exe": b"MZ" + b"\x00" * 100}), "polyglot"),
        ("image_decompression_bomb", "plan.png", _bomb_png(), "image_too_large"),
        (
            "svg_with_script",
            "logo.svg",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "svg",
        ),
        ("svg_renamed_png", "logo.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "svg"),
        ("html_page", "page.pdf", html, "script"),
        ("windows_executable", "scan.pdf", b"MZ\x90\x00" + b"\x00" * 200, "executable"),
        ("oversized_video", "video.mp4", video_head + b"\x00" * (oversized_video_bytes - len(video_head)), "too_large"),
        ("zero_byte_file", "vide.pdf", b"", "empty"),
        (
            "zip_bomb_docx",
            "rapport.docx",
            _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * 30_000_000}),
            "archive_bomb",
        ),
        ("name_with_dot_dot_slash", "../../../etc/cron.d/evil.png", _png(), "bad_name"),
        ("name_with_nul", "photo.png\x00.exe", _png(), "bad_name"),
        ("name_with_rtl_override", "photo\u202egnp.exe", _png(), "bad_name"),
    ]
