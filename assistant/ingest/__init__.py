"""Raw documents → corpus: readers (TXT/PDF/DOCX/HTML), OCR repair, Markdown with anchored sections, drafted
facts, and `pool add`, which does all of it for a new pool and grows the index."""

from assistant.ingest.markdown import (
           IngestReport,
           clean_text,
           detect_headings,
           ingest_file,
)
from assistant.ingest.ocr_repair import (
           OcrRepairer,
           default_repairer,
           writes_danish_letters,
)
from assistant.ingest.readers import SUFFIXES, read_raw

__all__ = ["SUFFIXES", "IngestReport", "OcrRepairer", "clean_text", "default_repairer", "detect_headings",
           "ingest_file", "read_raw", "writes_danish_letters"]
