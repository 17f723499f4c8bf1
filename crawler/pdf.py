"""Text of a PDF capture (pypdf: pure Python, no system tools)."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from crawler.extract import ExtractionError, clean_text

logging.getLogger("pypdf").setLevel(logging.ERROR)


def pdf_text(body: bytes, url: str) -> str:
    try:
        reader = PdfReader(io.BytesIO(body))
        text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ExtractionError("PDF text", f"pdf ({type(exc).__name__}: {exc})", url) from exc
    if not text.strip():
        raise ExtractionError("PDF text", "pdf text layer", url)
    return clean_text(text)
