"""Checking and storing uploaded files (SPEC.md §1 "Attachments", issue 3).

The type of a file is decided from its CONTENT, never from its name or the browser's
Content-Type: sniffed with `puremagic`, then parsed by a real parser (a sniff alone accepts a
fake PDF, ARCHITECTURE.md §1). Accepted kinds:

- `pdf`: opens with pypdf; not encrypted beyond an empty user password; no JavaScript, launch
  action or embedded file; nothing but whitespace after the last `%%EOF`.
- `image` (JPEG, PNG, WebP): Pillow reads the header, `verify()`s, then decodes the pixels;
  at most `UPLOAD_MAX_IMAGE_PIXELS` pixels (decompression bombs); nothing after the image's
  end marker.
- `office` (DOCX, XLSX as OOXML; ODT, ODS as OpenDocument): a ZIP whose `[Content_Types].xml`
  or `mimetype` names the format; no macros; bounded entries, uncompressed size and
  compression ratio (zip bombs).
- `video` (MP4): ISO base-media boxes from the first byte to the last, `ftyp` first with an
  MP4 brand, a `moov` box.

Always refused: executables (MZ, ELF, Mach-O), scripts, HTML, SVG (it can carry script),
polyglots (a second format's structure inside or after the first), empty files, and files over
the per-kind size limit (`UPLOAD_MAX_BYTES`).

Storing (`store_checked_file`) writes to a temporary name and then moves the complete file into
place, so a full disk never leaves a database row pointing at a partial file
(BENCHMARKING.md, "Pitfalls"). Stored names are random; the name the citizen gave is kept only
as display text, cleaned by `safe_display_name`.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import struct
import unicodedata
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from typing import IO

import puremagic
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from .storage import is_local

logger = logging.getLogger(__name__)

__all__ = [
    "CheckedFile",
    "UploadRejected",
    "check_upload",
    "delete_stored_file",
    "safe_display_name",
    "store_checked_file",
]

# --- Limits (every number a setting; defaults here mirror config/settings.py) ------------------

_DEFAULT_MAX_BYTES = {"pdf": 10 * 2**20, "image": 10 * 2**20, "office": 10 * 2**20, "video": 50 * 2**20}


def _max_bytes(kind: str) -> int:
    limits = {**_DEFAULT_MAX_BYTES, **getattr(settings, "UPLOAD_MAX_BYTES", {})}
    return limits[kind]


def _setting(name: str, default: int) -> int:
    return getattr(settings, name, default)


DISPLAY_NAME_MAX_CHARS = 100
_CHUNK = 64 * 1024


# --- Results and errors ---------------------------------------------------------------------


class UploadRejected(Exception):
    """The upload is refused. `code` is stable (for tests and the API); `message` is translated."""

    MESSAGES = {
        "empty": _("The file is empty."),
        "too_large": _("The file is too large for its type (at most %(limit)s MB)."),
        "unsupported_type": _(
            "This type of file is not accepted. Send a PDF, a photo (JPEG, PNG, WebP), "
            "an office document (DOCX, XLSX, ODT, ODS) or an MP4 video."
        ),
        "executable": _("Programs cannot be attached."),
        "script": _("Scripts and web pages cannot be attached."),
        "svg": _("SVG images cannot be attached: send the image as PNG or JPEG."),
        "polyglot": _("The file mixes several formats and cannot be accepted."),
        "corrupt": _("The file is damaged or is not really of the type it claims to be."),
        "pdf_encrypted": _("The PDF is protected by a password: send it without protection."),
        "pdf_active_content": _("The PDF contains scripts, actions or embedded files and cannot be accepted."),
        "image_too_large": _("The image has too many pixels: send a smaller photo."),
        "office_macros": _("Documents with macros cannot be accepted."),
        "archive_bomb": _("The document expands to too much data and cannot be accepted."),
        "bad_name": _(
            "The file name contains a folder path, control characters or text-direction marks: "
            "rename the file and send it again."
        ),
    }

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    @property
    def message(self) -> str:
        """The reason, in the active language."""
        return str(self.MESSAGES[self.code]) % self.params if self.params else str(self.MESSAGES[self.code])

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


@dataclass(frozen=True, slots=True)
class CheckedFile:
    kind: str  # pdf | image | office | video
    mime: str
    extension: str  # with the dot, from the detected type
    size: int
    safe_name: str  # the citizen's name for it, cleaned, for display only
    sha256: str


# --- Display names --------------------------------------------------------------------------

# Bidirectional embeddings/overrides and isolates: they make "gpj.exe" read as "exe.jpg".
_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def safe_display_name(name: str | None, *, extension: str = "") -> str:
    """The name a person gave a file, safe to show: no path, no control or bidi characters,
    at most 100 characters (keeping its extension where it fits)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = name.translate(_BIDI_CONTROLS)
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cc")
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    if name in ("", ".", ".."):
        name = f"file{extension}"
    if len(name) > DISPLAY_NAME_MAX_CHARS:
        stem, dot, suffix = name.rpartition(".")
        if dot and stem and len(suffix) <= 10:
            name = stem[: DISPLAY_NAME_MAX_CHARS - len(suffix) - 1].rstrip() + "." + suffix
        else:
            name = name[:DISPLAY_NAME_MAX_CHARS].rstrip()
    return name


def _check_name(name: str | None) -> None:
    """Refuse a file name built to deceive (issue 8 item 3): a parent-folder path (`../`), a NUL or
    other control character (`photo.png\\0.exe`), or a bidi control that reverses how the name
    reads (`photo\\u202egnp.exe` shows as `photoexe.png`). Such names never come from a person
    picking a file; a plain folder path (old browsers send `C:\\...\\scan.pdf`) is only trimmed."""
    name = str(name or "")
    parts = name.replace("\\", "/").split("/")
    if ".." in parts or any(ord(ch) in _BIDI_CONTROLS for ch in name):
        raise UploadRejected("bad_name")
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        raise UploadRejected("bad_name")


# --- Sniffing ---------------------------------------------------------------------------------

_EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
_TEXT_MARKUP = re.compile(rb"<\s*(svg|html|script|!doctype\s+html|\?php|body|iframe)\b", re.IGNORECASE)
_FOREIGN_IN_BINARY = re.compile(rb"%PDF-|<\?php|<\s*script|<\s*html|<\s*svg", re.IGNORECASE)
_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash", b"mmp4"}


def _read_head(stream: IO[bytes], n: int = 8192) -> bytes:
    stream.seek(0)
    return stream.read(n)


def _detect_dangerous(head: bytes) -> None:
    """Refuse the formats we never take, with a precise reason."""
    if head.startswith(_EXECUTABLE_MAGIC):
        raise UploadRejected("executable")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n\x00")
    if stripped.startswith(b"#!"):
        raise UploadRejected("script")
    lowered = stripped[:2048].lower()
    if lowered.startswith(b"<?xml") or lowered.startswith(b"<svg"):
        if b"<svg" in head.lower():
            raise UploadRejected("svg")
        raise UploadRejected("script")
    if _TEXT_MARKUP.search(stripped[:2048]) and stripped[:1] == b"<":
        raise UploadRejected("script")


def _sniff(head: bytes) -> tuple[str, str, str]:
    """(kind, mime, extension) from the magic at offset 0; raises for anything else."""
    if head.startswith(b"%PDF-"):
        return "pdf", "application/pdf", ".pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image", "image/png", ".png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image", "image/jpeg", ".jpg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image", "image/webp", ".webp"
    if head.startswith(b"PK\x03\x04"):
        return "office", "application/zip", ".zip"  # refined by _check_office
    if head[4:8] == b"ftyp":
        return "video", "video/mp4", ".mp4"
    _detect_dangerous(head)
    raise UploadRejected("unsupported_type")


_PUREMAGIC_FAMILY = {
    ".pdf": "pdf",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".jfif": "image",
    ".webp": "image",
    ".zip": "office",
    ".docx": "office",
    ".xlsx": "office",
    ".pptx": "office",
    ".odt": "office",
    ".ods": "office",
    ".jar": "office",
    ".mp4": "video",
    ".m4v": "video",
    ".m4a": "video",
    ".mov": "video",
    ".3gp": "video",
}
_PUREMAGIC_DANGEROUS = {".exe", ".dll", ".elf", ".sh", ".html", ".htm", ".svg", ".js", ".php", ".bat", ".ps1"}


def _puremagic_check(head: bytes, kind: str) -> None:
    """puremagic must agree with the offset-0 magic: no dangerous type, no other family at 0."""
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        return  # nothing known to puremagic: our own parser decides
    for match in matches:
        if match.offset != 0:
            continue
        if match.extension in _PUREMAGIC_DANGEROUS and match.confidence >= 0.5:
            raise UploadRejected("polyglot")
        family = _PUREMAGIC_FAMILY.get(match.extension)
        if family is not None and family != kind and match.confidence >= 0.8:
            raise UploadRejected("polyglot")


def _is_zip(stream: IO[bytes]) -> bool:
    stream.seek(0)
    try:
        return zipfile.is_zipfile(stream)
    finally:
        stream.seek(0)


# --- Parsers ----------------------------------------------------------------------------------

_PDF_FORBIDDEN = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"}
_PDF_FORBIDDEN_RAW = re.compile(rb"/(JS|JavaScript|Launch|EmbeddedFiles?|RichMedia|XFA)\b")


def _pdf_trailing_check(stream: IO[bytes], size: int) -> None:
    tolerance = _setting("UPLOAD_PDF_TRAILING_BYTES", 1024)
    tail_len = min(size, 4096 + tolerance)
    stream.seek(size - tail_len)
    tail = stream.read(tail_len)
    end = tail.rfind(b"%%EOF")
    if end < 0:
        raise UploadRejected("polyglot" if b"PK\x05\x06" in tail else "corrupt")
    trailing = tail[end + 5 :]
    if len(trailing) > tolerance or trailing.strip(b" \t\r\n\x00\x0c"):
        raise UploadRejected("polyglot")


def _walk_pdf_value(value: object, depth: int = 0) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    if depth > 12:
        return
    if isinstance(value, NameObject):
        if str(value) in _PDF_FORBIDDEN:
            raise UploadRejected("pdf_active_content")
    elif isinstance(value, DictionaryObject):
        for key, item in value.items():
            if str(key) in _PDF_FORBIDDEN:
                raise UploadRejected("pdf_active_content")
            if not hasattr(item, "idnum"):  # do not follow references: every object is visited anyway
                _walk_pdf_value(item, depth + 1)
    elif isinstance(value, ArrayObject):
        for item in value:
            if not hasattr(item, "idnum"):
                _walk_pdf_value(item, depth + 1)


def _check_pdf(stream: IO[bytes], size: int) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    from pypdf.generic import IndirectObject

    _pdf_trailing_check(stream, size)
    if _is_zip(stream):
        raise UploadRejected("polyglot")
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(stream, strict=False)
            if reader.is_encrypted:
                try:
                    if not reader.decrypt(""):
                        raise UploadRejected("pdf_encrypted")
                except UploadRejected:
                    raise
                except Exception as exc:
                    raise UploadRejected("pdf_encrypted") from exc
            if len(reader.pages) < 1:
                raise UploadRejected("corrupt")
            ids: set[tuple[int, int]] = set()
            for generation, table in reader.xref.items():
                ids.update((idnum, generation) for idnum in table)
            ids.update((idnum, 0) for idnum in reader.xref_objStm)
            max_objects = _setting("UPLOAD_PDF_MAX_OBJECTS", 200_000)
            if len(ids) > max_objects:
                raise UploadRejected("corrupt")
            for idnum, generation in ids:
                try:
                    obj = reader.get_object(IndirectObject(idnum, generation, reader))
                except (PdfReadError, ValueError, KeyError, OSError):
                    continue
                _walk_pdf_value(obj)
            _walk_pdf_value(reader.trailer)
    except UploadRejected:
        raise
    except Exception as exc:
        raise UploadRejected("corrupt") from exc
    # Uncompressed names, also when written with #-escapes that pypdf did not reach.
    stream.seek(0)
    overlap = b""
    while chunk := stream.read(_CHUNK):
        block = overlap + chunk
        if _PDF_FORBIDDEN_RAW.search(block.replace(b"#4A", b"J").replace(b"#53", b"S")):
            raise UploadRejected("pdf_active_content")
        overlap = block[-32:]


_PIL_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}


def _image_trailing_check(stream: IO[bytes], size: int, mime: str, head: bytes) -> None:
    tolerance = _setting("UPLOAD_IMAGE_TRAILING_BYTES", 64)
    if mime == "image/webp":
        (riff_size,) = struct.unpack("<I", head[4:8])
        if riff_size + 8 + (riff_size & 1) < size - tolerance or riff_size + 8 > size:
            raise UploadRejected("polyglot")
        return
    if mime == "image/jpeg":
        # Phones append their own trailers after the JPEG end marker (Samsung, Google motion
        # photos): tolerated; a ZIP or markup hidden there is caught by the scans that follow.
        return
    tail_len = min(size, 4096)
    stream.seek(size - tail_len)
    tail = stream.read(tail_len)
    marker = b"IEND\xaeB`\x82"
    end = tail.rfind(marker)
    if end < 0 or len(tail) - (end + len(marker)) > tolerance:
        raise UploadRejected("polyglot")


def _check_image(stream: IO[bytes], size: int, mime: str, head: bytes) -> None:
    from PIL import Image, UnidentifiedImageError

    _image_trailing_check(stream, size, mime, head)
    if _is_zip(stream):
        raise UploadRejected("polyglot")
    stream.seek(0)
    overlap = b""
    while chunk := stream.read(_CHUNK):
        block = overlap + chunk
        if _FOREIGN_IN_BINARY.search(block):
            raise UploadRejected("polyglot")
        overlap = block[-16:]
    limit = _setting("UPLOAD_MAX_IMAGE_PIXELS", 40_000_000)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            stream.seek(0)
            with Image.open(stream) as image:
                if image.format != _PIL_FORMATS[mime]:
                    raise UploadRejected("corrupt")
                width, height = image.size
                if width < 1 or height < 1:
                    raise UploadRejected("corrupt")
                if width * height > limit:
                    raise UploadRejected("image_too_large")
                image.verify()
            stream.seek(0)
            with Image.open(stream) as image:  # verify() leaves the image unusable: reopen to decode
                if image.size[0] * image.size[1] > limit:
                    raise UploadRejected("image_too_large")
                frames = getattr(image, "n_frames", 1)
                if frames * image.size[0] * image.size[1] > limit:
                    raise UploadRejected("image_too_large")
                image.load()
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadRejected("image_too_large") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as exc:
        raise UploadRejected("corrupt") from exc


_OOXML_TYPES = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
    ),
}
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": ".odt",
    b"application/vnd.oasis.opendocument.spreadsheet": ".ods",
}
_MACRO_MARKERS = (b"vbaproject", b"macroenabled", b"vbadata", b"activex")


def _check_office(stream: IO[bytes], size: int) -> tuple[str, str]:
    max_entries = _setting("UPLOAD_ZIP_MAX_ENTRIES", 1000)
    max_total = _setting("UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES", 100 * 2**20)
    max_ratio = _setting("UPLOAD_ZIP_MAX_RATIO", 100)
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadRejected("corrupt") from exc
    with archive:
        infos = archive.infolist()
        if not infos or len(infos) > max_entries:
            raise UploadRejected("archive_bomb" if infos else "corrupt")
        # The first local header must be the file's first byte, and the archive must end the file:
        # anything before (a prepended PDF or image) or after makes a polyglot.
        if min(info.header_offset for info in infos) != 0:
            raise UploadRejected("polyglot")
        end_record = 22 + len(archive.comment)
        stream.seek(size - end_record)
        if stream.read(4) != b"PK\x05\x06":
            raise UploadRejected("polyglot")
        names = {info.filename for info in infos}
        for info in infos:
            lowered = info.filename.lower()
            if any(marker.decode() in lowered for marker in _MACRO_MARKERS) or lowered.startswith(
                ("basic/", "scripts/")
            ):
                raise UploadRejected("office_macros")
            if info.filename.startswith(("/", "\\")) or ".." in info.filename.replace("\\", "/").split("/"):
                raise UploadRejected("corrupt")
            if info.flag_bits & 0x1:
                raise UploadRejected("corrupt")  # encrypted entry
        declared = sum(info.file_size for info in infos)
        if declared > max_total:
            raise UploadRejected("archive_bomb")
        # Decompress for real (headers can lie), counting what comes out.
        total = 0
        try:
            for info in infos:
                produced = 0
                with archive.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        produced += len(chunk)
                        total += len(chunk)
                        if total > max_total or produced > max(info.compress_size, 1) * max_ratio + _CHUNK:
                            raise UploadRejected("archive_bomb")
        except UploadRejected:
            raise
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise UploadRejected("corrupt") from exc
        if "[Content_Types].xml" in names:
            content_types = archive.read("[Content_Types].xml")
            if any(marker in content_types.lower() for marker in _MACRO_MARKERS):
                raise UploadRejected("office_macros")
            for marker, (mime, extension) in _OOXML_TYPES.items():
                if marker in content_types:
                    return mime, extension
            raise UploadRejected("unsupported_type")
        if "mimetype" in names and infos[0].filename == "mimetype":
            mimetype = archive.read("mimetype").strip()
            if mimetype in _ODF_TYPES:
                manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
                if b"basic" in manifest.lower() and b"script" in manifest.lower():
                    raise UploadRejected("office_macros")
                return mimetype.decode(), _ODF_TYPES[mimetype]
        raise UploadRejected("unsupported_type")


def _check_mp4(stream: IO[bytes], size: int) -> None:
    """Walk the top-level ISO BMFF boxes: they must tile the file exactly."""
    stream.seek(0)
    position = 0
    seen: list[bytes] = []
    max_boxes = _setting("UPLOAD_MP4_MAX_BOXES", 10_000)
    while position < size:
        stream.seek(position)
        header = stream.read(8)
        if len(header) < 8:
            raise UploadRejected("corrupt")
        box_size, box_type = struct.unpack(">I4s", header)
        header_len = 8
        if box_size == 1:
            large = stream.read(8)
            if len(large) < 8:
                raise UploadRejected("corrupt")
            (box_size,) = struct.unpack(">Q", large)
            header_len = 16
        elif box_size == 0:
            box_size = size - position  # to the end of the file
        if box_size < header_len or position + box_size > size:
            raise UploadRejected("corrupt")
        if not all(32 <= byte < 127 for byte in box_type):
            raise UploadRejected("polyglot")
        if not seen:
            if box_type != b"ftyp" or box_size < 16:
                raise UploadRejected("corrupt")
            body = stream.read(min(box_size - header_len, 256))
            brands = {body[0:4]} | {body[i : i + 4] for i in range(8, len(body) - 3, 4)}
            if not brands & _MP4_BRANDS:
                raise UploadRejected("unsupported_type")
        seen.append(box_type)
        if len(seen) > max_boxes:
            raise UploadRejected("corrupt")
        position += box_size
    if b"moov" not in seen:
        raise UploadRejected("corrupt")


# --- The entry point --------------------------------------------------------------------------


def _size_of(stream: IO[bytes]) -> int:
    size = getattr(stream, "size", None)
    if isinstance(size, int):
        return size
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def check_upload(uploaded_file: IO[bytes]) -> CheckedFile:
    """Decide what `uploaded_file` really is, or raise `UploadRejected`.

    `uploaded_file` is a Django `UploadedFile` or any seekable binary file (its `.name`, if any,
    is only used for the display name). The file is left rewound.
    """
    _check_name(getattr(uploaded_file, "name", ""))
    stream = getattr(uploaded_file, "file", None) or uploaded_file
    if not hasattr(stream, "seek"):
        stream = io.BytesIO(uploaded_file.read())
    size = _size_of(uploaded_file)
    if size <= 0:
        raise UploadRejected("empty")
    largest = max({**_DEFAULT_MAX_BYTES, **getattr(settings, "UPLOAD_MAX_BYTES", {})}.values())
    if size > largest:
        raise UploadRejected("too_large", limit=largest // 2**20)
    head = _read_head(stream)
    if not head:
        raise UploadRejected("empty")
    kind, mime, extension = _sniff(head)
    if size > _max_bytes(kind):
        raise UploadRejected("too_large", limit=_max_bytes(kind) // 2**20)
    _puremagic_check(head, kind)
    if kind == "pdf":
        _check_pdf(stream, size)
    elif kind == "image":
        _check_image(stream, size, mime, head)
    elif kind == "office":
        mime, extension = _check_office(stream, size)
    else:
        _check_mp4(stream, size)
        if _is_zip(stream):
            raise UploadRejected("polyglot")
    digest = _sha256(stream)
    return CheckedFile(
        kind=kind,
        mime=mime,
        extension=extension,
        size=size,
        safe_name=safe_display_name(getattr(uploaded_file, "name", ""), extension=extension),
        sha256=digest,
    )


# --- Storage ----------------------------------------------------------------------------------


def store_checked_file(uploaded_file: IO[bytes], checked: CheckedFile, *, folder: str = "attachments") -> str:
    """Save a checked upload under a random name and return that storage name.

    The bytes go to a temporary `.part` name first; only a complete copy (same size and
    SHA-256) is moved to the final name, so a full disk or a crash leaves at most a `.part`
    file and never a final name with partial content. Create the database row only after this
    returns, and call `delete_stored_file` if that transaction fails.
    """
    stream = getattr(uploaded_file, "file", None) or uploaded_file
    stream.seek(0)
    storage = default_storage
    final_name = f"{folder}/{uuid.uuid4().hex}{checked.extension}"
    if not is_local(storage):
        return _store_in_object_storage(storage, stream, final_name, checked)
    temp_candidate = f"{folder}/incoming/{uuid.uuid4().hex}.part"
    try:
        temp_name = storage.save(temp_candidate, File(stream))
    except BaseException:
        # A write that failed half-way (full disk: ENOSPC) leaves its partial file behind in
        # Django's FileSystemStorage: remove it. The name is random, so it can only be ours.
        try:
            storage.delete(temp_candidate)
        except OSError:
            logger.warning("could not remove the partial upload %s", temp_candidate)
        stream.seek(0)
        raise
    try:
        if storage.size(temp_name) != checked.size:
            raise OSError(f"incomplete write of {temp_name}")
        final_path = storage.path(final_name)
        os.makedirs(os.path.dirname(final_path), exist_ok=True)
        os.replace(storage.path(temp_name), final_path)  # atomic on one filesystem
        return final_name
    except BaseException:
        storage.delete(temp_name)
        raise
    finally:
        stream.seek(0)


def _store_in_object_storage(storage, stream: IO[bytes], final_name: str, checked: CheckedFile) -> str:
    """Object stores (S3): an object appears whole or not at all (a PUT, or a multipart upload
    completed by its last call), so the bytes go straight to the final name: one upload, no
    temporary copy (tawasul.core.storage, ADR 0035)."""
    try:
        saved = storage.save(final_name, File(stream))
        if storage.size(saved) != checked.size:
            storage.delete(saved)
            raise OSError(f"incomplete write of {saved}")
        return saved
    finally:
        stream.seek(0)


def delete_stored_file(name: str) -> None:
    """Remove a stored file (after a failed transaction); silent when it is already gone."""
    if name:
        default_storage.delete(name)
