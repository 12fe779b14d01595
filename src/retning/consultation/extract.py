"""Text from attachments (PDF, DOCX, ODT, plain text) for search and analysis. Pure Python.

Every limit is checked before the expensive step: file size before opening, the sum of
declared uncompressed sizes before unzipping (zip-bomb safe), page count before reading
pages. Anything we cannot read safely is kept by the caller and flagged "needs manual
reading" with the reason — never dropped.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

TEXT_OK = "ok"
NEEDS_MANUAL = "manual"

REASON_OVERSIZED = "oversized"
REASON_TOO_MANY_PAGES = "too-many-pages"
REASON_ZIP_BOMB = "decompressed-too-large"
REASON_ENCRYPTED = "encrypted"
REASON_NO_TEXT = "no-text-layer"
REASON_UNKNOWN = "unknown-type"
REASON_BROKEN = "unreadable"
REASON_EMPTY = "empty"


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024
    max_pages: int = 300
    max_decompressed: int = 100 * 1024 * 1024
    max_text_chars: int = 2_000_000


@dataclass(frozen=True)
class Extraction:
    kind: str  # pdf, docx, odt, text, unknown
    status: str  # TEXT_OK or NEEDS_MANUAL
    text: str = ""
    reason: str = ""
    detail: str = ""


ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def detect_kind(filename: str, data: bytes) -> str:
    """The file type by content first (names lie), then by extension for plain text."""
    name = filename.lower()
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return "docx"
                if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                    return "odt"
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
            return "unknown"
        return "unknown"
    if name.endswith((".txt", ".text", ".csv", ".md")):
        return "text"
    return "unknown"


def _zip_total(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())


def _pdf(data: bytes, limits: Limits) -> Extraction:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return Extraction("pdf", NEEDS_MANUAL, reason=REASON_ENCRYPTED)
        pages = len(reader.pages)
        if pages > limits.max_pages:
            return Extraction(
                "pdf", NEEDS_MANUAL, reason=REASON_TOO_MANY_PAGES, detail=f"{pages} pages"
            )
        chunks: list[str] = []
        size = 0
        for page in reader.pages:
            chunk = page.extract_text() or ""
            chunks.append(chunk)
            size += len(chunk)
            if size > limits.max_text_chars:
                break
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        return Extraction("pdf", NEEDS_MANUAL, reason=REASON_BROKEN, detail=str(exc)[:300])
    except Exception as exc:  # pypdf raises assorted errors on hostile files
        return Extraction("pdf", NEEDS_MANUAL, reason=REASON_BROKEN, detail=str(exc)[:300])
    text = "\n".join(chunks).strip()[: limits.max_text_chars]
    if not text:
        return Extraction("pdf", NEEDS_MANUAL, reason=REASON_NO_TEXT, detail=f"{pages} pages")
    return Extraction("pdf", TEXT_OK, text)


def _docx(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _odt(data: bytes) -> str:
    """Headings, paragraphs and table cells of an OpenDocument text, in document order."""
    from odfdo import Document

    document = Document(io.BytesIO(data))
    elements = document.body.get_elements("descendant::text:h | descendant::text:p")
    return "\n".join(text for e in elements if (text := e.text_recursive))


def extract_text(filename: str, data: bytes, limits: Limits | None = None) -> Extraction:
    """Extract text, or say why a person has to read the file."""
    limits = limits or Limits()
    if not data:
        return Extraction("unknown", NEEDS_MANUAL, reason=REASON_EMPTY)
    kind = detect_kind(filename, data)
    if len(data) > limits.max_bytes:
        return Extraction(kind, NEEDS_MANUAL, reason=REASON_OVERSIZED, detail=f"{len(data)} B")
    if kind == "pdf":
        return _pdf(data, limits)
    if kind in {"docx", "odt"}:
        try:
            total = _zip_total(data)
        except (zipfile.BadZipFile, OSError) as exc:
            return Extraction(kind, NEEDS_MANUAL, reason=REASON_BROKEN, detail=str(exc)[:300])
        if total > limits.max_decompressed:
            return Extraction(kind, NEEDS_MANUAL, reason=REASON_ZIP_BOMB, detail=f"{total} B")
        try:
            text = _docx(data) if kind == "docx" else _odt(data)
        except Exception as exc:  # python-docx/odfdo raise many kinds on broken files
            return Extraction(kind, NEEDS_MANUAL, reason=REASON_BROKEN, detail=str(exc)[:300])
        text = text.strip()[: limits.max_text_chars]
        if not text:
            return Extraction(kind, NEEDS_MANUAL, reason=REASON_NO_TEXT)
        return Extraction(kind, TEXT_OK, text)
    if kind == "text":
        from retning.consultation.mail import decode_text

        return Extraction("text", TEXT_OK, decode_text(data, None)[0][: limits.max_text_chars])
    return Extraction("unknown", NEEDS_MANUAL, reason=REASON_UNKNOWN)
